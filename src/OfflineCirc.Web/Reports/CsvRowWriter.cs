using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace OfflineCirc.Web.Reports;

/// <summary>
/// Writes the cells of a CSV download, one row after another: RFC 4180, a comma between cells, CRLF after every row.
/// The bytes are the ones CsvHelper 33 wrote with the configuration the exports used to have (docs/reports.md), except
/// that a cell holding a lone CR or LF is quoted (see <see cref="NeedsQuotes"/>):
/// <list type="bullet">
/// <item>A cell is quoted, with its quotes doubled, when it contains a quote, a comma, CR or LF, or starts or ends with a space.</item>
/// <item>A cell that starts with a formula character (= + - @ tab CR) gets ' in front and is always quoted, the ' inside the quotes.</item>
/// <item>A cell whose first character after leading spaces and tabs is a formula character (" =1+2") gets ' in front too,
/// and is quoted only by the first rule, not for its leading space.</item>
/// </list>
/// Cells go into a buffer of characters without awaiting anything; the buffer is handed to the text writer after the row
/// that fills it, so a row has no asynchronous step of its own, and memory stays the buffer's size whatever the row count.
/// </summary>
public sealed class CsvRowWriter
{
    /// <summary>Characters that make a spreadsheet read a cell as a formula when they start it.</summary>
    private static readonly SearchValues<char> FormulaStart = SearchValues.Create("=+-@\t\r");

    /// <summary>
    /// Characters that make a cell quoted wherever they stand. CsvHelper with its NewLine set looked for the whole "\r\n"
    /// only, and left a cell such as "a\nb" unquoted, which breaks the row in two for any reader; a lone CR or LF is quoted here.
    /// </summary>
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create("\",\r\n");

    private const char FormulaEscape = '\'';

    /// <summary>Characters gathered before they are handed to the text writer.</summary>
    private const int HandOverAt = 16 * 1024;

    /// <summary>Rows between flushes of the text writer, so the client receives the download as it is made.</summary>
    private const int RowsPerFlush = 5000;

    private readonly TextWriter _text;
    private readonly CancellationToken _ct;
    private char[] _buffer = new char[HandOverAt * 2];
    private char[] _joined = new char[256];
    private int _length;
    private int _cellsInRow;
    private int _rows;

    internal CsvRowWriter(TextWriter text, CancellationToken ct)
    {
        _text = text;
        _ct = ct;
    }

    /// <summary>Text as it is, quoted and escaped by the rules above; null is an empty cell.</summary>
    public void Cell(string? value) => Cell(value.AsSpan());

    public void Cell(ReadOnlySpan<char> value)
    {
        var into = StartCell(value.Length * 2 + 3, out var at);
        if (value.IsEmpty)
        {
            _length += at;
            return;
        }
        var first = value[0];
        // A formula hidden behind spaces or tabs: CsvHelper looked at the first character only.
        var hidden = (first == ' ' || first == '\t') && value.TrimStart(" \t") is { IsEmpty: false } rest && FormulaStart.Contains(rest[0]);
        var formula = !hidden && FormulaStart.Contains(first);
        var quote = formula || value.ContainsAny(NeedsQuotes) || value[^1] == ' ' || (first == ' ' && !hidden);
        if (quote)
        {
            into[at++] = '"';
        }
        if (hidden || formula)
        {
            into[at++] = FormulaEscape;
        }
        if (quote)
        {
            var left = value;
            for (var q = left.IndexOf('"'); q >= 0; q = left.IndexOf('"'))
            {
                left[..(q + 1)].CopyTo(into[at..]);
                at += q + 1;
                into[at++] = '"';
                left = left[(q + 1)..];
            }
            left.CopyTo(into[at..]);
            at += left.Length;
            into[at++] = '"';
        }
        else
        {
            value.CopyTo(into[at..]);
            at += value.Length;
        }
        _length += at;
    }

    /// <summary>A whole number in invariant digits; null is an empty cell.</summary>
    public void Number(long? value)
    {
        if (value is { } v)
        {
            Span<char> digits = stackalloc char[20];
            v.TryFormat(digits, out var n, provider: CultureInfo.InvariantCulture);
            Cell(digits[..n]);
        }
        else
        {
            Cell(ReadOnlySpan<char>.Empty);
        }
    }

    /// <summary>An amount with two decimals, as <see cref="Lookup.TimeDisplay.Money"/> shows it.</summary>
    public void Money(decimal? value)
    {
        if (value is { } v)
        {
            Span<char> digits = stackalloc char[40];
            v.TryFormat(digits, out var n, "0.00", CultureInfo.InvariantCulture);
            Cell(digits[..n]);
        }
        else
        {
            Cell(ReadOnlySpan<char>.Empty);
        }
    }

    /// <summary>
    /// A time in ISO 8601 with its offset, <c>yyyy-MM-dd'T'HH:mm:ssK</c> (2026-03-05T14:00:00+00:00), written digit by
    /// digit: a custom format string is parsed again on every call, and a row has six times. Digits, dashes, colons, a T
    /// and a sign are never quoted or escaped, so the time goes straight into the buffer.
    /// </summary>
    public void Time(DateTimeOffset? value)
    {
        if (value is not { } t)
        {
            Cell(ReadOnlySpan<char>.Empty);
            return;
        }
        var s = StartCell(25, out var at).Slice(at, 25);
        t.DateTime.Deconstruct(out int year, out int month, out int day);
        var second = (int)(t.Ticks / TimeSpan.TicksPerSecond % 86_400);
        var offset = (int)(t.Offset.Ticks / TimeSpan.TicksPerMinute);
        var sign = offset < 0 ? '-' : '+';
        offset = Math.Abs(offset);
        Two(s, 0, year / 100);
        Two(s, 2, year % 100);
        s[4] = '-';
        Two(s, 5, month);
        s[7] = '-';
        Two(s, 8, day);
        s[10] = 'T';
        Two(s, 11, second / 3600);
        s[13] = ':';
        Two(s, 14, second / 60 % 60);
        s[16] = ':';
        Two(s, 17, second % 60);
        s[19] = sign;
        Two(s, 20, offset / 60);
        s[22] = ':';
        Two(s, 23, offset % 60);
        _length += at + 25;
    }

    public void Flag(bool value) => Cell(value ? "true" : "false");

    /// <summary>Codes and follow-ups as one cell: a ';'-separated list; null is an empty cell.</summary>
    public void List(string[]? values)
    {
        if (values is null || values.Length == 0)
        {
            Cell(ReadOnlySpan<char>.Empty);
            return;
        }
        if (values.Length == 1)
        {
            Cell(values[0]);
            return;
        }
        var length = values.Length - 1;
        foreach (var value in values)
        {
            length += value?.Length ?? 0;
        }
        if (length > _joined.Length)
        {
            _joined = new char[Math.Max(length, _joined.Length * 2)];
        }
        var at = 0;
        foreach (var value in values)
        {
            if (at > 0)
            {
                _joined[at++] = ';';
            }
            value.AsSpan().CopyTo(_joined.AsSpan(at));
            at += value?.Length ?? 0;
        }
        Cell(_joined.AsSpan(0, at));
    }

    /// <summary>Ends the row; awaits only when the buffer is handed over, once in many rows.</summary>
    public ValueTask EndRowAsync()
    {
        if (_length + 2 > _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        _buffer[_length++] = '\r';
        _buffer[_length++] = '\n';
        _cellsInRow = 0;
        if (++_rows % RowsPerFlush == 0)
        {
            return FlushAsync();
        }
        return _length >= HandOverAt ? HandOverAsync() : ValueTask.CompletedTask;
    }

    /// <summary>A row of text cells, for downloads that have their cells as strings.</summary>
    public ValueTask RowAsync(IReadOnlyList<string?> cells)
    {
        foreach (var cell in cells)
        {
            Cell(cell);
        }
        return EndRowAsync();
    }

    /// <summary>Hands every finished row to the text writer and flushes it.</summary>
    internal async ValueTask FlushAsync()
    {
        await HandOverAsync();
        await _text.FlushAsync(_ct);
    }

    private async ValueTask HandOverAsync()
    {
        if (_length > 0)
        {
            await _text.WriteAsync(_buffer.AsMemory(0, _length), _ct);
            _length = 0;
        }
    }

    /// <summary>Makes room for a cell of up to <paramref name="room"/> characters and writes the comma before it; <paramref name="at"/> is where the cell starts in the returned span.</summary>
    private Span<char> StartCell(int room, out int at)
    {
        if (_length + room + 1 > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + room + 1));
        }
        var into = _buffer.AsSpan(_length);
        at = 0;
        if (_cellsInRow++ > 0)
        {
            into[at++] = ',';
        }
        return into;
    }

    /// <summary>Two digits of <paramref name="value"/> (0 to 99) at <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Two(Span<char> into, int at, int value)
    {
        into[at] = (char)('0' + value / 10);
        into[at + 1] = (char)('0' + value % 10);
    }
}
