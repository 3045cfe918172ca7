using System.Text;
using OfflineCirc.Core.Formats;
using static OfflineCirc.Tests.Formats.FormatTestSupport;

namespace OfflineCirc.Tests.Formats;

public class FileReadingTests
{
    private const string Checkin = "{\"timestamp\":1772719331,\"type\":\"checkin\",\"barcode\":\"312\"}";

    [Fact]
    public async Task Blank_lines_are_ignored_but_line_numbers_stay_physical()
    {
        var (reader, outcomes) = await ReadAll(Text("\n" + Checkin + "\r\n   \r\n\t\n" + Checkin + "\n\n"), Upload());

        Assert.Equal(2, reader.LinesRead);
        Assert.Equal([2, 5], outcomes.Select(o => o.LineNumber));
    }

    [Fact]
    public async Task Last_line_without_a_line_feed_is_read()
    {
        var (_, outcomes) = await ReadAll(Text(Checkin + "\n" + Checkin), Upload());

        Assert.Equal(2, outcomes.Parsed().Count);
    }

    [Fact]
    public async Task Byte_order_mark_is_skipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Checkin + "\n")).ToArray();
        var (_, outcomes) = await ReadAll(new MemoryStream(bytes), Upload());

        Assert.Single(outcomes.Parsed());
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \r\n")]
    public async Task Empty_file_is_refused_with_a_clear_message(string content)
    {
        var error = await Assert.ThrowsAsync<UnreadableFileException>(() => ReadAll(Text(content), Upload()));

        Assert.Equal("This file is empty: it holds no offline transactions.", error.Message);
    }

    [Fact]
    public async Task Koha_file_with_only_a_header_is_read_as_no_transactions()
    {
        var (reader, outcomes) = await ReadAll(Text("Version=1.0\tGenerator=kolt\tGeneratorVersion=0.1\n"), Upload());

        Assert.Equal(FileFormat.Koha, reader.Format);
        Assert.Empty(outcomes);
        Assert.Equal(0, reader.LinesRead);
    }

    [Fact]
    public async Task Binary_file_is_refused_before_any_line()
    {
        var bytes = new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00 }; // a zip archive's first bytes
        var reader = new OfflineFileReader(new MemoryStream(bytes), Upload());
        var seen = 0;

        var error = await Assert.ThrowsAsync<UnreadableFileException>(async () =>
        {
            await foreach (var _ in reader.ReadAsync())
            {
                seen++;
            }
        });

        Assert.Equal(0, seen);
        Assert.Equal("This file is not a text file of offline transactions (it contains binary data).", error.Message);
    }

    [Fact]
    public async Task Invalid_UTF8_is_refused_as_binary()
    {
        var bytes = Encoding.UTF8.GetBytes(Checkin + "\n").Concat(new byte[] { 0xC3, 0x28, 0x0A }).ToArray();

        var error = await Assert.ThrowsAsync<UnreadableFileException>(() => ReadAll(new MemoryStream(bytes), Upload()));
        Assert.Equal(UnreadableFileException.BinaryMessage, error.Message);
    }

    [Fact]
    public async Task UTF16_file_is_refused_with_advice()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Checkin)).ToArray();

        var error = await Assert.ThrowsAsync<UnreadableFileException>(() => ReadAll(new MemoryStream(bytes), Upload()));
        Assert.Equal(UnreadableFileException.Utf16Message, error.Message);
    }

    [Fact]
    public async Task Binary_content_far_into_the_file_stops_the_reading()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            text.Append(Checkin).Append('\n');
        }
        var bytes = Encoding.UTF8.GetBytes(text.ToString()).Concat(new byte[] { 0x00, 0x01, 0x02 }).ToArray();
        var reader = new OfflineFileReader(new MemoryStream(bytes), Upload());
        var seen = 0;

        await Assert.ThrowsAsync<UnreadableFileException>(async () =>
        {
            await foreach (var _ in reader.ReadAsync())
            {
                seen++;
            }
        });
        Assert.InRange(seen, 1, 2999);
    }

    [Fact]
    public async Task Line_too_long_is_rejected_and_the_next_line_still_read()
    {
        var huge = "{\"timestamp\":1772719331,\"type\":\"checkin\",\"barcode\":\"" + new string('7', 200_000) + "\"}";
        var (reader, outcomes) = await ReadAll(Text(huge + "\n" + Checkin + "\n"), Upload());

        Assert.Equal(2, reader.LinesRead);
        var rejected = Assert.IsType<LineOutcome.Rejected>(outcomes[0]);
        Assert.Equal("line too long (more than 65,536 characters)", rejected.Reason);
        Assert.Equal(500, rejected.RawText.Length);
        Assert.IsType<LineOutcome.Parsed>(outcomes[1]);
    }

    [Fact]
    public async Task Reader_streams_without_holding_the_whole_file()
    {
        var stream = new GeneratedLinesStream(Encoding.UTF8.GetBytes(Checkin + "\n"), lines: 50_000);
        var reader = new OfflineFileReader(stream, Upload());
        var count = 0;

        await foreach (var outcome in reader.ReadAsync())
        {
            Assert.IsType<LineOutcome.Parsed>(outcome);
            if (++count == 10)
            {
                // Ten outcomes are available long before the 2.8 MB file has been read.
                Assert.True(stream.Position < 1_000_000, $"read {stream.Position} bytes");
            }
        }
        Assert.Equal(50_000, count);
    }

    [Fact]
    public async Task Reader_can_be_enumerated_only_once()
    {
        var reader = new OfflineFileReader(Text(Checkin), Upload());
        await foreach (var _ in reader.ReadAsync())
        {
        }

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in reader.ReadAsync())
            {
            }
        });
    }

    /// <summary>A read-only stream repeating one line, so a large file needs no memory in the test either.</summary>
    private sealed class GeneratedLinesStream(byte[] line, int lines) : Stream
    {
        private readonly long _length = (long)line.Length * lines;
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, _length - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = line[(int)((_position + i) % line.Length)];
            }
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
