using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Formats;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Sessions;

public class KeyDigestTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static readonly string[] SampleKeys =
    [
        "3f2b8c1e-9d4a-4c6b-8e21-5a7d9c0b1e42",
        TransactionParser.ContentKey("""{"barcode":"312","type":"checkin"}""", "BR1-CIRC-01"),
        "3F2B8C1E-9D4A-4C6B-8E21-5A7D9C0B1E42",
        "progress-1-5",
        "Zoë «7» 图书馆",
        new string('a', 63) + "-",
    ];

    public static TheoryData<string> Keys() => new(SampleKeys);

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task The_app_and_the_database_compute_the_same_digest(string key)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT offline_key_digest(@key)", conn);
        cmd.Parameters.AddWithValue("key", key);
        Assert.Equal((Guid)(await cmd.ExecuteScalarAsync())!, TransactionKeys.Digest(key));
    }

    [Fact]
    public void A_uuid_key_is_its_own_digest_and_a_content_key_is_its_first_half()
    {
        var id = Guid.NewGuid();
        Assert.Equal(id, TransactionKeys.Digest(id.ToString("D")));
        var content = TransactionParser.ContentKey("{}", "BR1-CIRC-01");
        Assert.Equal(content[..32], TransactionKeys.Digest(content).ToString("N"));
        Assert.NotEqual(TransactionKeys.Digest(id.ToString("D")), TransactionKeys.Digest(id.ToString("D").ToUpperInvariant()));
    }

    [Fact]
    public async Task A_digest_written_in_the_binary_copy_format_reads_back_as_the_same_uuid()
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE digest_check (n int, d uuid)", conn))
        {
            await create.ExecuteNonQueryAsync();
        }
        var digests = SampleKeys.Select(TransactionKeys.Digest).ToList();
        await using (var copy = await conn.BeginRawBinaryCopyAsync("COPY digest_check FROM STDIN (FORMAT BINARY)"))
        {
            var rows = new CopyRowWriter(copy);
            for (var i = 0; i < digests.Count; i++)
            {
                rows.StartRow(2);
                rows.Int(i);
                rows.Uuid(digests[i]);
                await rows.EndRowAsync(CancellationToken.None);
            }
            await rows.CompleteAsync(CancellationToken.None);
        }
        await using var read = new NpgsqlCommand("SELECT d::text FROM digest_check ORDER BY n", conn);
        await using var r = await read.ExecuteReaderAsync();
        foreach (var digest in digests)
        {
            Assert.True(await r.ReadAsync());
            Assert.Equal(digest.ToString("D"), r.GetString(0));
        }
    }
}
