using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace OfflineCirc.Core.Data;

/// <summary>
/// Writes rows in PostgreSQL's binary COPY format straight onto a raw COPY stream, for bulk loads where the per-value
/// work of a general importer would cost more than the database's own. Rows are gathered in a buffer and sent in
/// blocks of about 64 KB. Types: text, jsonb, text[], int4, int8, uuid, bool, date, timestamp, timestamptz and numeric. It is
/// the one binary COPY writer: intake, the replay and the import's staging all write through it (<see cref="BinaryCopy"/>).
/// </summary>
public sealed class CopyRowWriter
{
    private const int BlockSize = 64 * 1024;
    private static readonly DateTime PostgresEpoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly int PostgresEpochDay = new DateOnly(2000, 1, 1).DayNumber;

    private readonly Stream _copy;
    private readonly ArrayBufferWriter<byte> _buffer = new(BlockSize * 2);

    public CopyRowWriter(Stream copy)
    {
        _copy = copy;
        var header = _buffer.GetSpan(19);
        // The signature's \xff must be the single byte 0xFF, not its UTF-8 form.
        "PGCOPY\n"u8.CopyTo(header);
        header[7] = 0xFF;
        "\r\n\0"u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteInt32BigEndian(header[11..], 0);
        BinaryPrimitives.WriteInt32BigEndian(header[15..], 0);
        _buffer.Advance(19);
    }

    public void StartRow(short fields) => Int16(fields);

    public void Null() => Int32(-1);

    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }
        var span = _buffer.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var length = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        _buffer.Advance(4 + length);
    }

    /// <summary>jsonb: a version byte (1) before the JSON text.</summary>
    public void Jsonb(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }
        var span = _buffer.GetSpan(5 + Encoding.UTF8.GetMaxByteCount(value.Length));
        span[4] = 1;
        var length = Encoding.UTF8.GetBytes(value, span[5..]);
        BinaryPrimitives.WriteInt32BigEndian(span, length + 1);
        _buffer.Advance(5 + length);
    }

    public void Int(int? value)
    {
        if (value is not { } v)
        {
            Null();
            return;
        }
        Int32(4);
        Int32(v);
    }

    public void Long(long value)
    {
        Int32(8);
        var span = _buffer.GetSpan(8);
        BinaryPrimitives.WriteInt64BigEndian(span, value);
        _buffer.Advance(8);
    }

    public void Long(long? value)
    {
        if (value is { } v)
        {
            Long(v);
        }
        else
        {
            Null();
        }
    }

    /// <summary>date: days since 2000-01-01.</summary>
    public void Date(DateOnly? value)
    {
        if (value is not { } v)
        {
            Null();
            return;
        }
        Int32(4);
        Int32(v.DayNumber - PostgresEpochDay);
    }

    /// <summary>text[]: one dimension, no nulls, element type text (oid 25), lower bound 1.</summary>
    public void TextArray(IReadOnlyList<string> values)
    {
        var length = 20;
        foreach (var v in values)
        {
            length += 4 + Encoding.UTF8.GetByteCount(v);
        }
        Int32(length);
        Int32(1);
        Int32(0);
        Int32(25);
        Int32(values.Count);
        Int32(1);
        foreach (var v in values)
        {
            Text(v);
        }
    }

    public void Uuid(Guid value)
    {
        Int32(16);
        var span = _buffer.GetSpan(16);
        // The database's byte order is the order of the written form, which is big-endian for the first three groups.
        value.TryWriteBytes(span, bigEndian: true, out _);
        _buffer.Advance(16);
    }

    public void Bool(bool value)
    {
        Int32(1);
        _buffer.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        _buffer.Advance(1);
    }

    public void Bool(bool? value)
    {
        if (value is { } v)
        {
            Bool(v);
        }
        else
        {
            Null();
        }
    }

    /// <summary>timestamp (without zone): microseconds of the wall-clock time since 2000-01-01.</summary>
    public void LocalTimestamp(DateTime? value)
    {
        if (value is not { } v)
        {
            Null();
            return;
        }
        Long((DateTime.SpecifyKind(v, DateTimeKind.Utc) - PostgresEpoch).Ticks / 10);
    }

    /// <summary>timestamptz: microseconds since 2000-01-01 UTC.</summary>
    public void Timestamp(DateTimeOffset? value)
    {
        if (value is not { } v)
        {
            Null();
            return;
        }
        Long((v.UtcDateTime - PostgresEpoch).Ticks / 10);
    }

    /// <summary>numeric: base-10000 digits with a weight, a sign and the display scale of the value.</summary>
    public void Numeric(decimal? value)
    {
        if (value is not { } v)
        {
            Null();
            return;
        }
        var text = Math.Abs(v).ToString(CultureInfo.InvariantCulture);
        var point = text.IndexOf('.');
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "" : text[(point + 1)..];
        var wholeGroups = (whole.Length + 3) / 4;
        var digits = (whole.PadLeft(wholeGroups * 4, '0') + fraction.PadRight((fraction.Length + 3) / 4 * 4, '0'))
            .Chunk(4).Select(g => short.Parse(g, CultureInfo.InvariantCulture)).ToList();
        var weight = wholeGroups - 1;
        while (digits.Count > 0 && digits[0] == 0)
        {
            digits.RemoveAt(0);
            weight--;
        }
        while (digits.Count > 0 && digits[^1] == 0)
        {
            digits.RemoveAt(digits.Count - 1);
        }
        Int32(8 + 2 * digits.Count);
        Int16((short)digits.Count);
        Int16((short)(digits.Count == 0 ? 0 : weight));
        Int16(v < 0 && digits.Count > 0 ? (short)0x4000 : (short)0);
        Int16((short)fraction.Length);
        foreach (var d in digits)
        {
            Int16(d);
        }
    }

    /// <summary>Sends the gathered rows once they fill a block; call after each row.</summary>
    public ValueTask EndRowAsync(CancellationToken ct) =>
        _buffer.WrittenCount >= BlockSize ? SendAsync(ct) : ValueTask.CompletedTask;

    /// <summary>Writes the trailer and sends what is left; the COPY itself ends when its stream is disposed.</summary>
    public async ValueTask CompleteAsync(CancellationToken ct)
    {
        Int16(-1);
        await SendAsync(ct);
    }

    private async ValueTask SendAsync(CancellationToken ct)
    {
        await _copy.WriteAsync(_buffer.WrittenMemory, ct);
        _buffer.ResetWrittenCount();
    }

    private void Int16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    private void Int32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }
}
