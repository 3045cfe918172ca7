using System.Runtime.CompilerServices;

namespace OfflineCirc.Core.Formats;

/// <summary>
/// Reads an uploaded offline file line by line and yields one <see cref="LineOutcome"/> per non-blank line,
/// never holding the whole file. The format (native, Evergreen, Koha) is detected from the content.
/// <list type="bullet">
/// <item>Blank lines (empty or only spaces) are ignored: they yield nothing and are not counted in
/// <see cref="LinesRead"/>, but line numbers stay the physical line numbers of the file.</item>
/// <item>A Koha header line is read into <see cref="Format"/> and <see cref="Warning"/>; it is not a transaction
/// and is not counted.</item>
/// <item>A file with no non-blank line at all is refused with <see cref="UnreadableFileException.EmptyMessage"/>.</item>
/// <item>A binary or non-UTF-8 file is refused with <see cref="UnreadableFileException"/>. Each block (up to 64 KB) is
/// checked whole before any of its lines is yielded, so binary data at the start is refused before the first outcome;
/// binary data further on throws when its block is read (intake then rolls the file back).</item>
/// </list>
/// </summary>
public sealed class OfflineFileReader(Stream stream, UploadContext context)
{
    /// <summary>Longest line read; longer lines are rejected without being held in memory.</summary>
    public const int MaxLineLength = 65_536;

    private bool _started;
    private bool _koha;

    /// <summary>The detected format; known once the first non-blank line has been read.</summary>
    public FileFormat Format { get; private set; } = FileFormat.Unknown;

    /// <summary>A remark about the whole file (e.g. an unexpected Koha version), or null.</summary>
    public string? Warning { get; private set; }

    /// <summary>Non-blank lines read so far, Koha header excluded; equals the number of outcomes yielded.</summary>
    public int LinesRead { get; private set; }

    /// <summary>The outcomes in file order. Can be enumerated once.</summary>
    public async IAsyncEnumerable<LineOutcome> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_started)
        {
            throw new InvalidOperationException("An offline file can be read only once.");
        }
        _started = true;
        var seenContent = false;
        await foreach (var line in new TextLineSource(stream, MaxLineLength).ReadAsync(cancellationToken))
        {
            if (!line.TooLong && string.IsNullOrWhiteSpace(line.Text))
            {
                continue;
            }
            if (!seenContent)
            {
                seenContent = true;
                if (!line.TooLong && DetectKoha(line.Text))
                {
                    continue;
                }
            }
            LinesRead++;
            yield return Read(line);
        }
        if (!seenContent)
        {
            throw new UnreadableFileException(UnreadableFileException.EmptyMessage);
        }
    }

    /// <summary>Looks at the first non-blank line; returns true when it is a Koha header (consumed, not a transaction).</summary>
    private bool DetectKoha(string firstLine)
    {
        if (KohaLineMapper.IsHeader(firstLine, out var header))
        {
            _koha = true;
            Format = FileFormat.Koha;
            Warning = KohaLineMapper.HeaderWarning(header);
            return true;
        }
        if (KohaLineMapper.LooksLikeDataLine(firstLine))
        {
            _koha = true;
            Format = FileFormat.Koha;
            Warning = KohaLineMapper.NoHeaderWarning;
        }
        return false;
    }

    private LineOutcome Read(SourceLine line)
    {
        if (line.TooLong)
        {
            return TransactionParser.Reject(line.Number, line.Text, Reasons.LineTooLong(MaxLineLength));
        }
        if (_koha)
        {
            return TransactionParser.ParseKohaLine(line.Text, line.Number, context);
        }
        var outcome = TransactionParser.ParseJsonLine(line.Text, line.Number, context, out var lineFormat);
        if (lineFormat != FileFormat.Unknown)
        {
            Format = FileFormatCodes.Combine(Format, lineFormat);
        }
        return outcome;
    }
}
