using System.Text.Json;

namespace OfflineCirc.Web.Reports;

/// <summary>A warning staff allowed at the desk: which code, who allowed it and when (docs/formats.md, <c>overrides</c>).</summary>
public sealed record DeskOverride(string Code, string? By, DateTimeOffset? At);

/// <summary>
/// Reads the overrides the capture page wrote into a line, from the line as received; intake keeps the line whole, so
/// nothing about the schema changes for them. A line without them, or one that is not JSON (Koha), has none.
/// </summary>
public static class DeskOverrides
{
    public static IReadOnlyList<DeskOverride> Parse(string? payload)
    {
        if (string.IsNullOrEmpty(payload) || !payload.Contains("\"overrides\"", StringComparison.Ordinal))
        {
            return [];
        }
        try
        {
            using var doc = JsonDocument.Parse(payload);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("overrides", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return [];
            }
            var found = new List<DeskOverride>();
            foreach (var entry in list.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object && Text(entry, "code") is { Length: > 0 } code)
                {
                    found.Add(new DeskOverride(code, Text(entry, "by"), Time(entry)));
                }
            }
            return found;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string? Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // Epoch seconds, as a number or a string like every other capture time.
    private static DateTimeOffset? Time(JsonElement entry)
    {
        if (!entry.TryGetProperty("at", out var value))
        {
            return null;
        }
        long seconds;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
        {
            seconds = n;
        }
        else if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var s))
        {
            seconds = s;
        }
        else
        {
            return null;
        }
        return seconds is > 0 and < 253_402_300_800 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }
}
