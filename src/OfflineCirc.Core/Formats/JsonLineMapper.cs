using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using OfflineCirc.Core.Transactions.Kinds;

namespace OfflineCirc.Core.Formats;

/// <summary>Maps one JSON transaction (native or Evergreen) to the common candidate shape.</summary>
internal static class JsonLineMapper
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = 16,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    private static readonly F[] EvergreenDateFields = [F.CheckoutTime, F.Backdate, F.UseTime, F.DueDate];

    /// <summary>Parses a line; returns the rejection reason instead when it is not one JSON object.</summary>
    public static TransactionCandidate? Parse(string line, out string? reason)
    {
        try
        {
            using var document = JsonDocument.Parse(line, DocumentOptions);
            return Map(document.RootElement, line, out reason);
        }
        catch (JsonException)
        {
            reason = Reasons.NotValidJson;
            return null;
        }
    }

    /// <summary>Maps one parsed transaction; <paramref name="text"/> is the transaction as received, kept as its payload.</summary>
    public static TransactionCandidate? Map(JsonElement root, string text, out string? reason)
    {
        try
        {
            return MapObject(root, text, out reason);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // Escapes that do not make valid text (e.g. a lone "\ud800") surface only when a value is read.
            reason = Reasons.NotValidJson;
            return null;
        }
    }

    private static TransactionCandidate? MapObject(JsonElement root, string text, out string? reason)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            reason = "not a JSON object (each line must be one transaction written as { ... })";
            return null;
        }
        reason = null;
        var fields = new KnownFields();
        var problems = new List<string>();
        HashSet<string>? otherNames = null;
        foreach (var property in root.EnumerateObject())
        {
            var field = KnownFields.Of(property);
            var repeated = field != F.Unknown
                ? !fields.TryAdd(field, property.Value)
                : !(otherNames ??= new HashSet<string>(StringComparer.Ordinal)).Add(property.Name);
            if (repeated)
            {
                problems.Add($"field '{Reasons.Clip(property.Name)}' given twice");
            }
        }
        var hasId = fields.Has(F.Id);
        var user = fields.Get(F.User);
        var candidate = new TransactionCandidate
        {
            Format = hasId ? FileFormat.Native : EvergreenKind(fields),
            Id = hasId ? fields.Text(F.Id, problems) ?? "" : null,
            Type = fields.Text(F.Type, problems)?.ToLowerInvariant(),
            Timestamp = new DateField(fields.Text(F.Timestamp, problems)),
            Delta = new NumberField(fields.Text(F.Delta, problems)),
            Workstation = fields.Text(F.Workstation, problems),
            Org = fields.Text(F.Org, problems),
            PatronBarcode = fields.Text(F.PatronBarcode, problems),
            ItemBarcode = fields.Text(F.Barcode, problems),
            NoncatType = fields.Text(F.NoncatType, problems),
            NoncatCount = new NumberField(fields.Text(F.NoncatCount, problems)),
            DueDateText = fields.Text(F.DueDate, problems),
            CheckoutTime = new DateField(fields.Text(F.CheckoutTime, problems)),
            Backdate = new DateField(fields.Text(F.Backdate, problems)),
            UseTime = new DateField(fields.Text(F.UseTime, problems)),
            Count = new NumberField(fields.Text(F.Count, problems)),
            Amount = new NumberField(fields.Text(F.Amount, problems)),
            UserGiven = fields.Has(F.User) && user.ValueKind != JsonValueKind.Null,
            User = user.ValueKind == JsonValueKind.Object ? RegisteredPatron.Read(user, problems) : null,
            Payload = text.Trim(),
            // Only a line without an id is keyed by its content.
            CanonicalContent = hasId ? "" : CompactJson.Canonical(root),
        };
        if (CompactJson.HasNulEscape(text))
        {
            problems.Add(Reasons.NulCharacter);
        }
        if (candidate.UserGiven && candidate.User is null)
        {
            problems.Add("user must be an object");
        }
        candidate.Problems.AddRange(problems);
        return candidate;
    }

    /// <summary>Legacy lines write local-time strings (or a string timestamp); web lines write ISO UTC.</summary>
    private static FileFormat EvergreenKind(in KnownFields fields)
    {
        if (fields.Get(F.Timestamp).ValueKind == JsonValueKind.String)
        {
            return FileFormat.EvergreenLegacy;
        }
        foreach (var field in EvergreenDateFields)
        {
            var value = fields.Get(field);
            if (value.ValueKind == JsonValueKind.String && OfflineDate.TryParse(value.GetString(), out var date) && date.IsLocal)
            {
                return FileFormat.EvergreenLegacy;
            }
        }
        return FileFormat.EvergreenWeb;
    }

    /// <summary>Strings are trimmed; numbers keep their written form; empty or null counts as absent.</summary>
    internal static string? TextOf(JsonElement value, string prefix, string name, List<string> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString()!.Trim();
                return text.Length == 0 ? null : text;
            case JsonValueKind.Number:
                return value.GetRawText();
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return null;
            default:
                problems.Add($"{prefix}{name} must be text or a number");
                return null;
        }
    }

    /// <summary>The fields a transaction line may have.</summary>
    private enum F
    {
        Id, Type, Timestamp, Delta, Workstation, Org, PatronBarcode, Barcode, NoncatType, NoncatCount, DueDate,
        CheckoutTime, Backdate, UseTime, Count, Amount, User,
        Unknown = -1,
    }

    [InlineArray(17)]
    private struct FieldValues
    {
        private JsonElement _first;
    }

    /// <summary>
    /// A line's known fields, found by their UTF-8 names without making a string of each name. The first of a repeated
    /// field is the one kept; an absent field reads as <see cref="JsonValueKind.Undefined"/>.
    /// </summary>
    private struct KnownFields
    {
        private static readonly string[] Names =
        [
            "id", "type", "timestamp", "delta", "workstation", "org", "patron_barcode", "barcode", "noncat_type",
            "noncat_count", "due_date", "checkout_time", "backdate", "use_time", "count", "amount", "user",
        ];

        private FieldValues _values;
        private int _seen;

        public readonly bool Has(F field) => (_seen & (1 << (int)field)) != 0;

        public readonly JsonElement Get(F field) => Has(field) ? _values[(int)field] : default;

        public bool TryAdd(F field, JsonElement value)
        {
            if (Has(field))
            {
                return false;
            }
            _seen |= 1 << (int)field;
            _values[(int)field] = value;
            return true;
        }

        public readonly string? Text(F field, List<string> problems) =>
            Has(field) ? TextOf(_values[(int)field], "", Names[(int)field], problems) : null;

        public static F Of(JsonProperty property)
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            // A name written with escapes is compared once decoded.
            return raw.IndexOf((byte)'\\') < 0 ? Of(raw) : Of(System.Text.Encoding.UTF8.GetBytes(property.Name));
        }

        private static F Of(ReadOnlySpan<byte> n) => n.Length switch
        {
            2 when n.SequenceEqual("id"u8) => F.Id,
            3 when n.SequenceEqual("org"u8) => F.Org,
            4 when n.SequenceEqual("type"u8) => F.Type,
            4 when n.SequenceEqual("user"u8) => F.User,
            5 when n.SequenceEqual("delta"u8) => F.Delta,
            5 when n.SequenceEqual("count"u8) => F.Count,
            6 when n.SequenceEqual("amount"u8) => F.Amount,
            7 when n.SequenceEqual("barcode"u8) => F.Barcode,
            8 when n.SequenceEqual("backdate"u8) => F.Backdate,
            8 when n.SequenceEqual("due_date"u8) => F.DueDate,
            8 when n.SequenceEqual("use_time"u8) => F.UseTime,
            9 when n.SequenceEqual("timestamp"u8) => F.Timestamp,
            11 when n.SequenceEqual("workstation"u8) => F.Workstation,
            11 when n.SequenceEqual("noncat_type"u8) => F.NoncatType,
            12 when n.SequenceEqual("noncat_count"u8) => F.NoncatCount,
            13 when n.SequenceEqual("checkout_time"u8) => F.CheckoutTime,
            14 when n.SequenceEqual("patron_barcode"u8) => F.PatronBarcode,
            _ => F.Unknown,
        };
    }
}
