using System.Runtime.InteropServices;
using System.Text.Json;

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

    private static readonly string[] EvergreenDateFields = ["checkout_time", "backdate", "use_time", "due_date"];

    /// <summary>Parses a line; returns the rejection reason instead when it is not one JSON object.</summary>
    public static TransactionCandidate? Parse(string line, out string? reason)
    {
        try
        {
            using var document = JsonDocument.Parse(line, DocumentOptions);
            return Map(document.RootElement, out reason);
        }
        catch (JsonException)
        {
            reason = Reasons.NotValidJson;
            return null;
        }
    }

    public static TransactionCandidate? Map(JsonElement root, out string? reason)
    {
        try
        {
            return MapObject(root, out reason);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // Escapes that do not make valid text (e.g. a lone "\ud800") surface only when a value is read.
            reason = Reasons.NotValidJson;
            return null;
        }
    }

    private static TransactionCandidate? MapObject(JsonElement root, out string? reason)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            reason = "not a JSON object (each line must be one transaction written as { ... })";
            return null;
        }
        reason = null;
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var problems = new List<string>();
        var numberOutOfRange = false;
        foreach (var property in root.EnumerateObject())
        {
            if (!fields.TryAdd(property.Name, property.Value))
            {
                problems.Add($"field '{Reasons.Clip(property.Name)}' given twice");
            }
            numberOutOfRange |= HasNumberOutOfRange(property.Value);
        }
        var reader = new FieldReader(fields, problems);
        var hasId = fields.ContainsKey("id");
        var candidate = new TransactionCandidate
        {
            Format = hasId ? FileFormat.Native : EvergreenKind(fields),
            Id = hasId ? reader.Text("id") ?? "" : null,
            Type = reader.Text("type")?.ToLowerInvariant(),
            Timestamp = new DateField(reader.Text("timestamp")),
            Delta = new NumberField(reader.Text("delta")),
            Workstation = reader.Text("workstation"),
            Org = reader.Text("org"),
            PatronBarcode = reader.Text("patron_barcode"),
            ItemBarcode = reader.Text("barcode"),
            NoncatType = reader.Text("noncat_type"),
            NoncatCount = new NumberField(reader.Text("noncat_count")),
            DueDateText = reader.Text("due_date"),
            CheckoutTime = new DateField(reader.Text("checkout_time")),
            Backdate = new DateField(reader.Text("backdate")),
            UseTime = new DateField(reader.Text("use_time")),
            Count = new NumberField(reader.Text("count")),
            Amount = new NumberField(reader.Text("amount")),
            UserGiven = fields.TryGetValue("user", out var user) && user.ValueKind != JsonValueKind.Null,
            User = user.ValueKind == JsonValueKind.Object ? Patron(user, problems) : null,
            Payload = CompactJson.Write(root),
            // Only a line without an id is keyed by its content.
            CanonicalContent = hasId ? "" : CompactJson.Canonical(root),
        };
        if (CompactJson.HasNulEscape(candidate.Payload))
        {
            problems.Add(Reasons.NulCharacter);
        }
        if (numberOutOfRange)
        {
            problems.Add(Reasons.NumberOutOfRange);
        }
        if (candidate.UserGiven && candidate.User is null)
        {
            problems.Add("user must be an object");
        }
        candidate.Problems.AddRange(problems);
        return candidate;
    }

    /// <summary>Legacy lines write local-time strings (or a string timestamp); web lines write ISO UTC.</summary>
    private static FileFormat EvergreenKind(Dictionary<string, JsonElement> fields)
    {
        if (fields.TryGetValue("timestamp", out var ts) && ts.ValueKind == JsonValueKind.String)
        {
            return FileFormat.EvergreenLegacy;
        }
        foreach (var name in EvergreenDateFields)
        {
            if (fields.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String
                && OfflineDate.TryParse(value.GetString(), out var date) && date.IsLocal)
            {
                return FileFormat.EvergreenLegacy;
            }
        }
        return FileFormat.EvergreenWeb;
    }

    /// <summary>
    /// Whether any number in the line has a power of ten beyond ±1000, which no field means and which PostgreSQL's
    /// numbers (and so the stored line) cannot hold.
    /// </summary>
    private static bool HasNumberOutOfRange(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                // The number as written, without copying it: only one with an exponent can be out of range.
                var raw = JsonMarshal.GetRawUtf8Value(element);
                var e = raw.IndexOfAny((byte)'e', (byte)'E');
                return e >= 0 && (!int.TryParse(raw[(e + 1)..], System.Globalization.NumberStyles.AllowLeadingSign,
                    System.Globalization.CultureInfo.InvariantCulture, out var exponent) || Math.Abs(exponent) > 1000);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (HasNumberOutOfRange(property.Value))
                    {
                        return true;
                    }
                }
                return false;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (HasNumberOutOfRange(item))
                    {
                        return true;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    private static RegisteredPatron Patron(JsonElement user, List<string> problems)
    {
        var fields = FieldsOf(user);
        var reader = new FieldReader(fields, problems, "user.");
        // Evergreen writes the card as an object { "barcode": ... }; the capture page writes the barcode itself.
        var card = fields.TryGetValue("card", out var c) && c.ValueKind == JsonValueKind.Object
            ? new FieldReader(FieldsOf(c), problems, "user.card.").Text("barcode")
            : reader.Text("card");
        return new RegisteredPatron
        {
            Card = card,
            FamilyName = reader.Text("family_name"),
            FirstGivenName = reader.Text("first_given_name"),
            Profile = reader.Text("profile"),
            HomeOu = reader.Text("home_ou"),
            Dob = reader.Text("dob"),
            Email = reader.Text("email"),
            DayPhone = reader.Text("day_phone"),
            Usrname = reader.Text("usrname"),
        };
    }

    private static Dictionary<string, JsonElement> FieldsOf(JsonElement obj)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            fields.TryAdd(property.Name, property.Value);
        }
        return fields;
    }

    private sealed class FieldReader(Dictionary<string, JsonElement> fields, List<string> problems, string prefix = "")
    {
        /// <summary>Strings are trimmed; numbers keep their written form; empty or null counts as absent.</summary>
        public string? Text(string name)
        {
            if (!fields.TryGetValue(name, out var value))
            {
                return null;
            }
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    var text = value.GetString()!.Trim();
                    return text.Length == 0 ? null : text;
                case JsonValueKind.Number:
                    return value.GetRawText();
                case JsonValueKind.Null:
                    return null;
                default:
                    problems.Add($"{prefix}{name} must be text or a number");
                    return null;
            }
        }
    }
}
