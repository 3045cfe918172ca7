using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;

namespace OfflineCirc.Web.Offline;

/// <summary>
/// Blocked patron barcodes for the capture page, built from the circulation model. Patrons borrow anywhere in the
/// consortium, so the list covers every library: a barred patron of another system is still warned about at the desk.
/// </summary>
public class BlockList(NpgsqlDataSource dataSource)
{
    // One letter per card, the most serious first: L lost card, B barred, E expired, D blocked.
    private const string Query = """
        SELECT c.barcode,
            CASE WHEN NOT c.active THEN 'L'
                 WHEN p.barred THEN 'B'
                 WHEN p.expire_date IS NOT NULL AND p.expire_date < current_date THEN 'E'
                 ELSE 'D' END AS reason
        FROM cards c
        JOIN patrons p ON p.id = c.patron_id
        JOIN patron_profiles pr ON pr.id = p.profile_id
        LEFT JOIN LATERAL (
            SELECT coalesce(sum(b.amount - b.amount_paid), 0) AS owed FROM billings b WHERE b.patron_id = p.id AND NOT b.voided
        ) bal ON true
        WHERE NOT c.active OR p.barred OR NOT p.active
           OR (p.expire_date IS NOT NULL AND p.expire_date < current_date)
           OR EXISTS (SELECT 1 FROM patron_blocks pb WHERE pb.patron_id = p.id)
           OR (pr.fine_threshold > 0 AND bal.owed >= pr.fine_threshold)
        ORDER BY c.barcode
        """;

    public sealed record Built(byte[] Gzipped, string ETag, DateTimeOffset GeneratedAt, int Count);

    public async Task<Built> BuildAsync(CancellationToken ct)
    {
        var generatedAt = DateTimeOffset.UtcNow;
        using var raw = new MemoryStream();
        var count = 0;
        await using (var json = new Utf8JsonWriter(raw))
        {
            json.WriteStartObject();
            json.WriteString("generatedAt", generatedAt);
            json.WriteStartArray("entries");
            await using var cmd = dataSource.CreateCommand(Query);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                json.WriteStartObject();
                json.WriteString("barcode", reader.GetString(0));
                json.WriteString("reason", reader.GetString(1));
                json.WriteEndObject();
                count++;
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        // The ETag follows the entries, not the time they were read, so an unchanged list answers 304.
        var entriesStart = raw.ToArray().AsSpan().IndexOf("\"entries\""u8);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(raw.ToArray().AsSpan(entriesStart)))[..32] + "\"";
        using var zipped = new MemoryStream();
        await using (var gzip = new GZipStream(zipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            raw.Position = 0;
            await raw.CopyToAsync(gzip, ct);
        }
        return new Built(zipped.ToArray(), etag, generatedAt, count);
    }
}
