using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace OfflineCirc.Core.Replay.Calendar;

/// <summary>
/// Reads the due date staff chose at the desk. It is day-granular: a date with an offset is first placed in the
/// circulating org's zone, a date without one is already local; only its calendar date counts.
/// </summary>
public static partial class CapturedDueDate
{
    [GeneratedRegex(@"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, DateTimeZone zone, out LocalDate date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var m = Pattern().Match(text);
        if (!m.Success)
        {
            return false;
        }
        try
        {
            var local = new LocalDate(Int(m.Groups[1]), Int(m.Groups[2]), Int(m.Groups[3]));
            if (!m.Groups[7].Success)
            {
                date = local;
                return true;
            }
            var time = m.Groups[4].Success
                ? new LocalTime(Int(m.Groups[4]), Int(m.Groups[5]), m.Groups[6].Success ? Int(m.Groups[6]) : 0)
                : LocalTime.Midnight;
            var offset = ParseOffset(m.Groups[7].Value);
            date = local.At(time).WithOffset(offset).ToInstant().InZone(zone).Date;
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>Whether the text is a due date this reader understands (used to validate edits).</summary>
    public static bool IsValid(string? text) => TryParse(text, DateTimeZone.Utc, out _);

    private static int Int(Group g) => int.Parse(g.Value, CultureInfo.InvariantCulture);

    private static Offset ParseOffset(string text)
    {
        if (text == "Z")
        {
            return Offset.Zero;
        }
        var sign = text[0] == '-' ? -1 : 1;
        var digits = text[1..].Replace(":", "");
        var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
        var minutes = digits.Length >= 4 ? int.Parse(digits[2..4], CultureInfo.InvariantCulture) : 0;
        return Offset.FromSeconds(sign * (hours * 3600 + minutes * 60));
    }
}
