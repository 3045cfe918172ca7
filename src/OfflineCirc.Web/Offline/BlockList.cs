using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Npgsql;
using OfflineCirc.Web.Infrastructure;

namespace OfflineCirc.Web.Offline;

/// <summary>
/// Blocked patron barcodes for the capture page, built from the circulation model. Patrons borrow anywhere in the
/// consortium, so the list covers every library: a barred patron of another system is still warned about at the desk.
/// </summary>
/// <remarks>
/// The page asks for <c>format=sorted</c> (docs/adr-017): one string per barcode length, each barcode followed by its
/// reason letter, in ordinal order, which the page stores as it comes and searches by halves; a consortium's half a
/// million cards are a few strings rather than half a million objects to parse, store and read back. Without a format
/// the answer is the older list of objects, for capture pages opened before that change; it goes in the next release.
/// </remarks>
public class BlockList([FromKeyedServices(Infrastructure.Database.Reads)] NpgsqlDataSource dataSource)
{
    public const string SortedFormat = "sorted";

    // One letter per card, the most serious first: L lost card, B barred, E expired, D blocked. Balances are summed once
    // per patron who has billings, not once per card.
    private const string Query = """
        SELECT c.barcode,
            CASE WHEN NOT c.active THEN 'L'
                 WHEN p.barred THEN 'B'
                 WHEN p.expire_date IS NOT NULL AND p.expire_date < current_date THEN 'E'
                 ELSE 'D' END AS reason
        FROM cards c
        JOIN patrons p ON p.id = c.patron_id
        JOIN patron_profiles pr ON pr.id = p.profile_id
        LEFT JOIN (
            SELECT b.patron_id, sum(b.amount - b.amount_paid) AS owed FROM billings b WHERE NOT b.voided GROUP BY b.patron_id
        ) bal ON bal.patron_id = p.id
        WHERE NOT c.active OR p.barred OR NOT p.active
           OR (p.expire_date IS NOT NULL AND p.expire_date < current_date)
           OR EXISTS (SELECT 1 FROM patron_blocks pb WHERE pb.patron_id = p.id)
           OR (pr.fine_threshold > 0 AND bal.owed >= pr.fine_threshold)
        """;

    public sealed record Built(byte[] Gzipped, string ETag, DateTimeOffset GeneratedAt, int Count);

    private readonly record struct Card(string Barcode, char Reason);

    /// <summary>The list as gzip JSON: <paramref name="sorted"/> for the format the page asks for, else the older one.</summary>
    public async Task<Built> BuildAsync(bool sorted, CancellationToken ct)
    {
        var generatedAt = DateTimeOffset.UtcNow;
        var cards = new List<Card>();
        await using (var cmd = dataSource.CreateCommand(Query))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                cards.Add(new Card(reader.GetString(0), reader.GetString(1)[0]));
            }
        }
        // Ordinal order is the order of JavaScript's < on strings, the one the page's search relies on.
        cards.Sort((a, b) => string.CompareOrdinal(a.Barcode, b.Barcode));

        using var raw = new MemoryStream();
        string etag;
        await using (var json = new Utf8JsonWriter(raw))
        {
            json.WriteStartObject();
            if (sorted)
            {
                WriteSorted(json, cards);
            }
            else
            {
                WriteEntries(json, cards);
            }
            // The ETag follows the cards, not the time they were read (written last), so an unchanged list answers 304.
            await json.FlushAsync(ct);
            etag = EntityTags.Of(raw.GetBuffer().AsSpan(0, (int)raw.Length));
            json.WriteString("generatedAt", generatedAt);
            json.WriteEndObject();
        }
        using var zipped = new MemoryStream();
        await using (var gzip = new GZipStream(zipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            raw.Position = 0;
            await raw.CopyToAsync(gzip, ct);
        }
        return new Built(zipped.ToArray(), etag, generatedAt, cards.Count);
    }

    /// <summary>
    /// count, then groups: [{length, entries}], one per barcode length; entries is every barcode of that length followed
    /// by its reason letter, so entry i starts at i * (length + 1).
    /// </summary>
    private static void WriteSorted(Utf8JsonWriter json, List<Card> cards)
    {
        json.WriteNumber("count", cards.Count);
        json.WriteStartArray("groups");
        foreach (var group in cards.GroupBy(c => c.Barcode.Length).OrderBy(g => g.Key))
        {
            var entries = new StringBuilder(group.Count() * (group.Key + 1));
            foreach (var card in group)
            {
                entries.Append(card.Barcode).Append(card.Reason);
            }
            json.WriteStartObject();
            json.WriteNumber("length", group.Key);
            json.WriteString("entries", entries.ToString());
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteEntries(Utf8JsonWriter json, List<Card> cards)
    {
        json.WriteStartArray("entries");
        foreach (var card in cards)
        {
            json.WriteStartObject();
            json.WriteString("barcode", card.Barcode);
            json.WriteString("reason", card.Reason.ToString());
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
