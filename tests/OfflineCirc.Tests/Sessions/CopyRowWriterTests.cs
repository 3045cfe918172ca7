using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Formats;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Sessions;

public class CopyRowWriterTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Rows_written_in_the_binary_format_read_back_as_written()
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using (var create = new NpgsqlCommand("""
            CREATE TEMP TABLE copy_check (n int, t text, l bigint, b boolean, at timestamptz, amount numeric(12,2), d uuid)
            """, conn))
        {
            await create.ExecuteNonQueryAsync();
        }
        var at = new DateTimeOffset(2026, 3, 5, 14, 2, 11, 412, TimeSpan.FromHours(-5));
        decimal?[] amounts = [0m, 0.05m, 1.5m, 123.45m, -7.25m, 10000m, 99999999.99m, 1000.01m, null];
        // A key's digest goes in as uuid in the database's byte order, which a text read shows as written.
        var digests = amounts.Select((_, i) => TransactionKeys.Digest($"key {i}")).ToList();
        await using (var copy = await conn.BeginRawBinaryCopyAsync("COPY copy_check FROM STDIN (FORMAT BINARY)"))
        {
            var rows = new CopyRowWriter(copy);
            for (var i = 0; i < amounts.Length; i++)
            {
                rows.StartRow(7);
                rows.Int(i);
                rows.Text(i == 0 ? null : $"Zoë «{i}» 图书馆");
                rows.Long(long.MaxValue - i);
                rows.Bool(i % 2 == 0);
                rows.Timestamp(i == 1 ? null : at.AddDays(i));
                rows.Numeric(amounts[i]);
                rows.Uuid(digests[i]);
                await rows.EndRowAsync(CancellationToken.None);
            }
            await rows.CompleteAsync(CancellationToken.None);
        }

        await using var read = new NpgsqlCommand("SELECT n, t, l, b, at, amount, d::text FROM copy_check ORDER BY n", conn);
        await using var r = await read.ExecuteReaderAsync();
        for (var i = 0; i < amounts.Length; i++)
        {
            Assert.True(await r.ReadAsync());
            Assert.Equal(i, r.GetInt32(0));
            Assert.Equal(i == 0 ? null : $"Zoë «{i}» 图书馆", r.IsDBNull(1) ? null : r.GetString(1));
            Assert.Equal(long.MaxValue - i, r.GetInt64(2));
            Assert.Equal(i % 2 == 0, r.GetBoolean(3));
            Assert.Equal(i == 1 ? (DateTime?)null : at.AddDays(i).UtcDateTime, r.IsDBNull(4) ? null : r.GetDateTime(4));
            Assert.Equal(amounts[i], r.IsDBNull(5) ? null : r.GetDecimal(5));
            Assert.Equal(digests[i].ToString("D"), r.GetString(6));
        }
        Assert.False(await r.ReadAsync());
    }
}
