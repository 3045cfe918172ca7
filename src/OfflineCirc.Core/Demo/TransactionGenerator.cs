using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Npgsql;

namespace OfflineCirc.Core.Demo;

/// <summary>What the generator may refer to: real barcodes and desks of the database it writes for.</summary>
public sealed record GeneratorInputs(
    IReadOnlyList<string> PatronBarcodes,
    IReadOnlyList<string> ItemBarcodes,
    IReadOnlyList<(string Name, string Org)> Workstations,
    IReadOnlyList<string> NoncatTypes,
    IReadOnlyList<string> Profiles)
{
    /// <summary>
    /// The owning library's short name of each of <see cref="ItemBarcodes"/>, in the same order; null unless loaded with
    /// <see cref="WithItemOrgsAsync"/>, which <see cref="TransactionGenerator.AtItemBranch"/> needs.
    /// </summary>
    public IReadOnlyList<string>? ItemOrgs { get; init; }

    public static async Task<GeneratorInputs> LoadAsync(NpgsqlDataSource dataSource, int maxPatrons, int maxItems, CancellationToken ct = default)
    {
        return new GeneratorInputs(
            await ListAsync(dataSource, $"SELECT c.barcode FROM cards c JOIN patrons p ON p.id = c.patron_id WHERE c.active ORDER BY c.id LIMIT {maxPatrons}", r => r.GetString(0), ct),
            await ListAsync(dataSource, $"SELECT barcode FROM items ORDER BY id LIMIT {maxItems}", r => r.GetString(0), ct),
            await ListAsync(dataSource, "SELECT w.name, o.short_name FROM workstations w JOIN org_units o ON o.id = w.org_unit_id ORDER BY w.name", r => (r.GetString(0), r.GetString(1)), ct),
            await ListAsync(dataSource, "SELECT DISTINCT name FROM noncat_types ORDER BY name", r => r.GetString(0), ct),
            await ListAsync(dataSource, "SELECT name FROM patron_profiles ORDER BY name", r => r.GetString(0), ct));
    }

    /// <summary>These inputs with <see cref="ItemOrgs"/> read from the database they were loaded from.</summary>
    public async Task<GeneratorInputs> WithItemOrgsAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        // A million items name a handful of libraries: keep one string per library.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var orgs = await ListAsync(dataSource,
            $"SELECT o.short_name FROM items i JOIN org_units o ON o.id = i.owning_org_id ORDER BY i.id LIMIT {ItemBarcodes.Count}",
            r => r.GetString(0) is var name && names.TryGetValue(name, out var known) ? known : names[name] = name, ct);
        return this with { ItemOrgs = orgs };
    }

    private static async Task<List<T>> ListAsync<T>(NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        var list = new List<T>();
        await using var cmd = dataSource.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(read(reader));
        }
        return list;
    }
}

/// <summary>
/// Writes a deterministic native JSON Lines file of plausible desk activity (check-outs, renewals, check-ins, in-house
/// uses, non-catalogued loans, registrations) over real barcodes, for benchmarks and crash tests.
/// </summary>
public sealed class TransactionGenerator(GeneratorInputs inputs, int seed)
{
    /// <summary>
    /// Share (0 to 1) of the lines about a catalogued item recorded at a desk of the item's owning library, as in a
    /// consortium where most loans and returns happen where the item lives. 0, the default, picks every line's desk at
    /// random (and writes the same lines as before this option existed). Needs <see cref="GeneratorInputs.ItemOrgs"/>.
    /// </summary>
    public double AtItemBranch { get; init; }

    public async Task WriteAsync(TextWriter writer, int count, DateTimeOffset start, CancellationToken ct = default)
    {
        if (inputs.PatronBarcodes.Count == 0 || inputs.ItemBarcodes.Count == 0 || inputs.Workstations.Count == 0)
        {
            throw new InvalidOperationException("The database needs patrons, items and workstations before transactions can be generated.");
        }
        if (AtItemBranch > 0 && inputs.ItemOrgs is null)
        {
            throw new InvalidOperationException("Activity at the item's own library needs the items' libraries (GeneratorInputs.WithItemOrgsAsync).");
        }
        var desks = inputs.Workstations.GroupBy(w => w.Org, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var random = new Random(seed);
        var onLoan = new List<(int Item, string Patron)>();
        var nextItem = 0;
        var time = start.ToUnixTimeSeconds();
        var fields = new StringBuilder(256);
        var line = new StringBuilder(320);
        for (var i = 0; i < count; i++)
        {
            ct.ThrowIfCancellationRequested();
            time += random.Next(0, 4);
            var desk = inputs.Workstations[random.Next(inputs.Workstations.Count)];
            var id = Id(random, time);
            fields.Clear();
            var roll = random.Next(100);
            if (roll < 40 || onLoan.Count == 0)
            {
                var at = nextItem++ % inputs.ItemBarcodes.Count;
                var patron = inputs.PatronBarcodes[random.Next(inputs.PatronBarcodes.Count)];
                onLoan.Add((at, patron));
                desk = DeskFor(at, desk, random, desks);
                fields.Append(",\"type\":\"checkout\",\"patron_barcode\":\"").Append(patron).Append("\",\"barcode\":\"").Append(inputs.ItemBarcodes[at])
                    .Append("\",\"checkout_time\":\"").Append(Iso(time)).Append('"');
                if (random.Next(5) == 0)
                {
                    fields.Append(",\"due_date\":\"").Append(DateTimeOffset.FromUnixTimeSeconds(time).AddDays(21).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('"');
                }
            }
            else if (roll < 75)
            {
                var at = random.Next(onLoan.Count);
                var (item, _) = onLoan[at];
                onLoan[at] = onLoan[^1];
                onLoan.RemoveAt(onLoan.Count - 1);
                fields.Append(",\"type\":\"checkin\",\"barcode\":\"").Append(inputs.ItemBarcodes[item]).Append('"');
                if (random.Next(10) == 0)
                {
                    fields.Append(",\"backdate\":\"").Append(Iso(time - random.Next(3600, 5 * 86400))).Append('"');
                }
                desk = DeskFor(item, desk, random, desks);
            }
            else if (roll < 85)
            {
                var (item, patron) = onLoan[random.Next(onLoan.Count)];
                desk = DeskFor(item, desk, random, desks);
                fields.Append(",\"type\":\"renew\",\"patron_barcode\":\"").Append(patron).Append("\",\"barcode\":\"").Append(inputs.ItemBarcodes[item])
                    .Append("\",\"checkout_time\":\"").Append(Iso(time)).Append('"');
            }
            else if (roll < 93)
            {
                var item = random.Next(inputs.ItemBarcodes.Count);
                fields.Append(",\"type\":\"in_house_use\",\"barcode\":\"").Append(inputs.ItemBarcodes[item])
                    .Append("\",\"count\":").Append(random.Next(1, 6));
                desk = DeskFor(item, desk, random, desks);
            }
            else if (roll < 98 && inputs.NoncatTypes.Count > 0)
            {
                fields.Append(",\"type\":\"checkout\",\"noncat\":true,\"noncat_type\":\"").Append(inputs.NoncatTypes[random.Next(inputs.NoncatTypes.Count)])
                    .Append("\",\"noncat_count\":").Append(random.Next(1, 4))
                    .Append(",\"patron_barcode\":\"").Append(inputs.PatronBarcodes[random.Next(inputs.PatronBarcodes.Count)]).Append('"');
            }
            else
            {
                var card = "29" + (seed % 1000).ToString("000", CultureInfo.InvariantCulture) + i.ToString("000000000", CultureInfo.InvariantCulture);
                fields.Append(",\"type\":\"register\",\"user\":{\"card\":\"").Append(card)
                    .Append("\",\"family_name\":\"Visitor").Append(i).Append("\",\"first_given_name\":\"Sam\",\"profile\":\"")
                    .Append(inputs.Profiles.Count > 0 ? inputs.Profiles[0] : "Adult").Append("\",\"home_ou\":\"").Append(desk.Org)
                    .Append("\",\"dob\":\"1990-01-01\"}");
            }
            line.Clear();
            line.Append("{\"id\":\"").Append(id).Append("\",\"timestamp\":").Append(time)
                .Append(",\"workstation\":\"").Append(desk.Name).Append("\",\"org\":\"").Append(desk.Org).Append('"')
                .Append(fields).Append('}');
            await writer.WriteLineAsync(line, ct);
        }
    }

    /// <summary>The drawn desk, or with <see cref="AtItemBranch"/> most of the time one of the item's own library.</summary>
    private (string Name, string Org) DeskFor(int item, (string Name, string Org) drawn, Random random, Dictionary<string, (string Name, string Org)[]> desks)
    {
        if (AtItemBranch <= 0 || random.NextDouble() >= AtItemBranch || !desks.TryGetValue(inputs.ItemOrgs![item], out var local))
        {
            return drawn;
        }
        return local[random.Next(local.Length)];
    }

    private static string Iso(long epoch) =>
        DateTimeOffset.FromUnixTimeSeconds(epoch).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// An id as the capture page makes it (format.js, newId): a version 7 UUID whose first 48 bits are the capture's time
    /// in milliseconds, so generated files stress the server as real ones do (docs/adr-023-time-ordered-ids.md).
    /// </summary>
    private static string Id(Random random, long epochSeconds)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        BinaryPrimitives.WriteInt64BigEndian(bytes, epochSeconds * 1000 << 16 | BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]));
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
