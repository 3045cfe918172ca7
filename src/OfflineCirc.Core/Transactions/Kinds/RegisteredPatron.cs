using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OfflineCirc.Core.Formats;

namespace OfflineCirc.Core.Transactions.Kinds;

/// <summary>
/// The new patron of a registration: read once at intake from the line's <c>user</c> object, stored in the
/// transaction's <c>parsed</c> column, and read from there by the replay.
/// </summary>
public sealed record RegisteredPatron
{
    private static readonly string[] AddressFields = ["street1", "street2", "city", "county", "state", "post_code", "country"];

    public string? Card { get; init; }
    public string? FamilyName { get; init; }
    public string? FirstGivenName { get; init; }
    public string? Profile { get; init; }
    public string? HomeOu { get; init; }
    public string? Dob { get; init; }
    public string? Email { get; init; }
    public string? DayPhone { get; init; }
    public string? Usrname { get; init; }
    /// <summary>The address fields joined by commas, from the user itself or its billing (else mailing) address.</summary>
    public string? Address { get; init; }

    /// <summary>The date of birth as a calendar date, when it reads as one.</summary>
    [JsonIgnore]
    public DateOnly? BirthDate =>
        Dob is { } d && DateOnly.TryParse(d.Length >= 10 ? d[..10] : d, CultureInfo.InvariantCulture, out var date) ? date : null;

    /// <summary>Reads the <c>user</c> object; fields that are neither text nor a number are reported in <paramref name="problems"/>.</summary>
    internal static RegisteredPatron Read(JsonElement user, List<string> problems)
    {
        string? Text(JsonElement obj, string prefix, string name) =>
            obj.TryGetProperty(name, out var value) ? JsonLineMapper.TextOf(value, prefix, name, problems) : null;
        string? Field(string name) => Text(user, "user.", name);
        // Evergreen writes the card as an object { "barcode": ... }; the capture page writes the barcode itself.
        var card = user.TryGetProperty("card", out var c) && c.ValueKind == JsonValueKind.Object
            ? Text(c, "user.card.", "barcode")
            : Field("card");
        return new RegisteredPatron
        {
            Card = card,
            FamilyName = Field("family_name"),
            FirstGivenName = Field("first_given_name"),
            Profile = Field("profile"),
            HomeOu = Field("home_ou"),
            Dob = Field("dob"),
            Email = Field("email"),
            DayPhone = Field("day_phone"),
            Usrname = Field("usrname") ?? Field("username"),
            Address = AddressOf(user, problems),
        };
    }

    /// <summary>The registration of a line stored before intake kept its parse: read from the line as received.</summary>
    internal static RegisteredPatron? FromPayload(string? payload)
    {
        if (string.IsNullOrWhiteSpace(payload))
        {
            return null;
        }
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var user = root.TryGetProperty("user", out var u) && u.ValueKind == JsonValueKind.Object ? u : root;
        return Read(user, []);
    }

    internal string ToJson() => JsonSerializer.Serialize(this, ParsedPayloadJson.Default.RegisteredPatron);

    internal static RegisteredPatron? FromJson(string json) => JsonSerializer.Deserialize(json, ParsedPayloadJson.Default.RegisteredPatron);

    private static string? AddressOf(JsonElement user, List<string> problems)
    {
        var source = user;
        if (!AddressFields.Any(f => user.TryGetProperty(f, out _)))
        {
            foreach (var name in (string[])["billing_address", "mailing_address"])
            {
                if (user.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Object)
                {
                    source = a;
                    break;
                }
            }
        }
        var parts = AddressFields.Select(f => source.TryGetProperty(f, out var v) ? JsonLineMapper.TextOf(v, "user.", f, problems) : null)
            .OfType<string>().ToList();
        return parts.Count > 0 ? string.Join(", ", parts) : null;
    }
}

/// <summary>The JSON of the parsed payloads, written and read without reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RegisteredPatron))]
internal sealed partial class ParsedPayloadJson : JsonSerializerContext;
