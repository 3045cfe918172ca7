namespace OfflineCirc.Core.Formats;

/// <summary>What kind of offline file was uploaded, detected from its content.</summary>
public enum FileFormat
{
    /// <summary>Nothing recognisable has been read yet (or no line could be read at all).</summary>
    Unknown,
    /// <summary>The capture page's JSON Lines: every transaction has an <c>id</c>.</summary>
    Native,
    /// <summary>Evergreen web staff client <c>pending.xacts</c>: no <c>id</c>, ISO UTC dates.</summary>
    EvergreenWeb,
    /// <summary>Evergreen legacy staff client <c>pending_xacts</c>: no <c>id</c>, local-time date strings.</summary>
    EvergreenLegacy,
    /// <summary>A JSON Lines file mixing native lines with Evergreen lines.</summary>
    Mixed,
    /// <summary>Koha offline circulation file (<c>.koc</c>).</summary>
    Koha,
}

public static class FileFormatCodes
{
    /// <summary>The stable code stored on the uploaded file and shown in reports.</summary>
    public static string ToCode(this FileFormat format) => format switch
    {
        FileFormat.Native => "native",
        FileFormat.EvergreenWeb => "evergreen_web",
        FileFormat.EvergreenLegacy => "evergreen_legacy",
        FileFormat.Mixed => "mixed",
        FileFormat.Koha => "koha",
        _ => "unknown",
    };

    /// <summary>Combines the format seen so far with the format of one more JSON line.</summary>
    internal static FileFormat Combine(FileFormat soFar, FileFormat line)
    {
        if (soFar == FileFormat.Unknown || soFar == line)
        {
            return line;
        }
        if (soFar == FileFormat.Mixed)
        {
            return soFar;
        }
        var soFarIsEvergreen = soFar is FileFormat.EvergreenWeb or FileFormat.EvergreenLegacy;
        var lineIsEvergreen = line is FileFormat.EvergreenWeb or FileFormat.EvergreenLegacy;
        // Web and legacy lines differ only in how dates are written: the file stays an Evergreen file.
        return soFarIsEvergreen && lineIsEvergreen ? soFar : FileFormat.Mixed;
    }
}
