namespace OfflineCirc.Core.Formats;

/// <summary>Rejection reasons that do not come from a validator rule.</summary>
public static class Reasons
{
    public const string NotValidJson = "not valid JSON";
    public const string NulCharacter = "a value holds a NUL character (\\u0000), which cannot be stored";
    public const string NotKohaLine =
        "not a Koha line (expected a date, a command and its values separated by tabs)";

    public static string LineTooLong(int maxChars) =>
        $"line too long (more than {maxChars:N0} characters)";

    public static string UnknownKohaCommand(string command) =>
        $"unknown Koha command '{Clip(command)}' (expected issue, return or payment)";

    /// <summary>Shortens a value quoted in a reason so one bad field cannot flood the report.</summary>
    public static string Clip(string value, int max = 40) =>
        value.Length <= max ? value : string.Concat(value.AsSpan(0, max), "…");

    /// <summary>The raw text kept with a rejected line: at most <paramref name="max"/> characters, never half a surrogate pair.</summary>
    public static string CutRaw(string raw, int max)
    {
        if (raw.Length <= max)
        {
            return raw;
        }
        var cut = char.IsHighSurrogate(raw[max - 1]) ? max - 1 : max;
        return raw[..cut];
    }
}
