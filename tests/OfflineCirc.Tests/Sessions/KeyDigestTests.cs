using Npgsql;
using OfflineCirc.Core.Formats;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Sessions;

public class KeyDigestTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static readonly string[] SampleKeys =
    [
        "3f2b8c1e-9d4a-4c6b-8e21-5a7d9c0b1e42",
        TransactionKeys.ForContent("""{"barcode":"312","type":"checkin"}""", "BR1-CIRC-01").Text,
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
        Assert.Equal(new TransactionKey(id.ToString("D"), id), TransactionKeys.ForId(id.ToString("D").ToUpperInvariant()));
        var content = TransactionKeys.ForContent("{}", "BR1-CIRC-01");
        Assert.Equal(content.Text[..32], TransactionKeys.Digest(content.Text).ToString("N"));
        Assert.Equal(content.Digest, TransactionKeys.Digest(content.Text));
        Assert.NotEqual(TransactionKeys.Digest(id.ToString("D")), TransactionKeys.Digest(id.ToString("D").ToUpperInvariant()));
    }
}
