using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace OfflineCirc.Core.Formats;

/// <summary>One physical line of a file. <see cref="Text"/> holds at most the line cap; longer lines are flagged.</summary>
internal readonly record struct SourceLine(int Number, string Text, bool TooLong);

/// <summary>
/// Splits a stream into lines without holding more than one chunk and one capped line in memory.
/// Strict UTF-8: a file with invalid bytes, NUL or other binary control characters is refused whole.
/// </summary>
internal sealed class TextLineSource(Stream stream, int maxLineChars)
{
    private const int ChunkBytes = 64 * 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async IAsyncEnumerable<SourceLine> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Pooled: intake reads many small files (one per capture-page upload) as well as large ones.
        var bytes = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var chars = ArrayPool<char>.Shared.Rent(StrictUtf8.GetMaxCharCount(ChunkBytes));
        try
        {
            await foreach (var line in ReadLinesAsync(bytes, chars, cancellationToken))
            {
                yield return line;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private async IAsyncEnumerable<SourceLine> ReadLinesAsync(byte[] bytes, char[] chars, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var decoder = StrictUtf8.GetDecoder();
        var line = new StringBuilder();
        var tooLong = false;
        var number = 0;
        var first = true;
        while (true)
        {
            var read = first
                ? await FillFirstBlockAsync(bytes, cancellationToken)
                : await stream.ReadAsync(bytes.AsMemory(0, ChunkBytes), cancellationToken);
            var start = first ? Sniff(bytes, read) : 0;
            first = false;
            var count = Decode(decoder, bytes, start, read - start, chars, flush: read == 0);
            var at = 0;
            while (at < count)
            {
                var end = Array.IndexOf(chars, '\n', at, count - at);
                var length = (end < 0 ? count : end) - at;
                // Beyond the cap a line is only scanned for its end, never kept.
                var keep = Math.Min(length, maxLineChars - line.Length);
                line.Append(chars, at, keep);
                tooLong |= keep < length;
                if (end < 0)
                {
                    break;
                }
                yield return Emit(++number, line, tooLong);
                line.Clear();
                tooLong = false;
                at = end + 1;
            }
            if (read == 0)
            {
                break;
            }
        }
        if (line.Length > 0 || tooLong)
        {
            yield return Emit(++number, line, tooLong);
        }
    }

    private static SourceLine Emit(int number, StringBuilder line, bool tooLong)
    {
        if (line.Length > 0 && line[^1] == '\r')
        {
            line.Length--;
        }
        return new SourceLine(number, line.ToString(), tooLong);
    }

    /// <summary>Fills the first block whole (or reads to the end), so binary data near the start is refused before any line.</summary>
    private async Task<int> FillFirstBlockAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < ChunkBytes)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(total, ChunkBytes - total), cancellationToken);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }

    /// <summary>Refuses UTF-16/32 files by their byte-order mark and skips a UTF-8 one; returns where text starts.</summary>
    private static int Sniff(byte[] bytes, int length)
    {
        if (length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            throw new UnreadableFileException(UnreadableFileException.Utf16Message);
        }
        return length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
    }

    private static int Decode(Decoder decoder, byte[] bytes, int start, int length, char[] chars, bool flush)
    {
        int count;
        try
        {
            count = decoder.GetChars(bytes, start, length, chars, 0, flush);
        }
        catch (DecoderFallbackException e)
        {
            throw new UnreadableFileException(UnreadableFileException.BinaryMessage, e);
        }
        if (chars.AsSpan(0, count).ContainsAny(BinaryControls))
        {
            throw new UnreadableFileException(UnreadableFileException.BinaryMessage);
        }
        return count;
    }

    /// <summary>Control characters text files do not hold: everything below space except tab, line feed, vertical tab, form feed and carriage return.</summary>
    private static readonly SearchValues<char> BinaryControls = SearchValues.Create(
        Enumerable.Range(0, ' ').Select(c => (char)c).Where(c => c is not ('\t' or '\n' or '\v' or '\f' or '\r')).ToArray());
}
