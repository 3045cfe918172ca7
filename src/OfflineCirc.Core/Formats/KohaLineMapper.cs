using System.Text.RegularExpressions;

namespace OfflineCirc.Core.Formats;

/// <summary>Reads Koha offline circulation files (<c>.koc</c>, version 1.0) into the common candidate shape.</summary>
internal static partial class KohaLineMapper
{
    public const string SupportedVersion = "1.0";

    private static readonly string[] HeaderKeys = ["Version", "Generator", "GeneratorVersion"];

    /// <summary>A header line is tab-separated <c>key=value</c> fields naming at least one of Koha's header keys.</summary>
    public static bool IsHeader(string line, out Dictionary<string, string> fields)
    {
        fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in line.Trim().Split('\t', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return false;
            }
            fields[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }
        var found = fields;
        return HeaderKeys.Any(found.ContainsKey);
    }

    /// <summary>A file-level warning for a header Koha 1.0 readers would not expect, else null.</summary>
    public static string? HeaderWarning(Dictionary<string, string> header)
    {
        if (!header.TryGetValue("Version", out var version) || version.Length == 0)
        {
            return $"The Koha file header gives no version; it was read as version {SupportedVersion}.";
        }
        return version == SupportedVersion
            ? null
            : $"The Koha file says it is version {Reasons.Clip(version)}; it was read as version {SupportedVersion}, the only version known.";
    }

    public const string NoHeaderWarning =
        "The Koha file has no header line; it was read as version " + SupportedVersion + ".";

    /// <summary>True when a line looks like a Koha data line (a Koha file whose header was lost).</summary>
    public static bool LooksLikeDataLine(string line) => DataLinePattern().IsMatch(line);

    /// <summary>Maps <c>timestamp\tcommand\targs...</c>; returns the rejection reason instead when it cannot.</summary>
    public static TransactionCandidate? Parse(string line, out string? reason)
    {
        reason = null;
        // Koha splits on tabs and ignores carriage returns; trailing empty values carry nothing.
        var parts = line.Replace("\r", "", StringComparison.Ordinal).Split('\t').Select(p => p.Trim()).ToArray();
        if (parts.Length < 2 || parts[1].Length == 0)
        {
            reason = Reasons.NotKohaLine;
            return null;
        }
        var command = parts[1].ToLowerInvariant();
        var type = command switch
        {
            "issue" => TransactionTypes.Checkout,
            "return" => TransactionTypes.Checkin,
            "payment" => TransactionTypes.Payment,
            _ => null,
        };
        if (type is null)
        {
            reason = Reasons.UnknownKohaCommand(parts[1]);
            return null;
        }
        var timestamp = Value(parts, 0);
        string? patron = null, barcode = null, amount = null;
        switch (command)
        {
            case "issue":
                patron = Value(parts, 2);
                barcode = Value(parts, 3);
                break;
            case "return":
                barcode = Value(parts, 2);
                break;
            default:
                patron = Value(parts, 2);
                amount = Value(parts, 3);
                break;
        }
        var payload = CompactJson.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("source", "koha");
            w.WriteString("command", command);
            w.WriteString("type", type);
            Write(w, "timestamp", timestamp);
            Write(w, "patron_barcode", patron);
            Write(w, "barcode", barcode);
            Write(w, "amount", amount);
            w.WriteEndObject();
        });
        return new TransactionCandidate
        {
            Format = FileFormat.Koha,
            Type = type,
            Timestamp = new DateField(timestamp),
            PatronBarcode = patron,
            ItemBarcode = barcode,
            Amount = new NumberField(amount),
            Payload = payload,
            // The payload's keys are already in a fixed order, so it is its own canonical form.
            CanonicalContent = payload,
        };
    }

    private static string? Value(string[] parts, int index) =>
        index < parts.Length && parts[index].Length > 0 ? parts[index] : null;

    private static void Write(System.Text.Json.Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{1,2}-\d{1,2} \d{1,2}[:\-]\d{1,2}[:\-]\d{1,2}( \d{1,3})?\t", RegexOptions.CultureInvariant)]
    private static partial Regex DataLinePattern();
}
