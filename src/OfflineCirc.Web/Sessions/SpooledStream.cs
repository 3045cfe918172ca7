namespace OfflineCirc.Web.Sessions;

/// <summary>
/// Reads through to an upload and keeps a copy of every byte in a temporary file, so intake can read the file a second
/// time (its careful path) without holding it in memory. The copy is deleted when this is disposed.
/// </summary>
public sealed class SpooledStream(Stream inner) : Stream
{
    private readonly FileStream _spool = new(
        Path.Combine(Path.GetTempPath(), $"offlinecirc-upload-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
        FileShare.None, 1 << 16, FileOptions.DeleteOnClose);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        _spool.Write(buffer, offset, read);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        // A plain write lands in the page cache at once; an asynchronous one would send every block through the
        // thread pool and hold up the parse behind it.
        _spool.Write(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Reads the rest of the upload into the copy, then returns the whole copy from its first byte.</summary>
    public async Task<Stream> RewindAsync(CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        while (await ReadAsync(buffer, ct) > 0)
        {
        }
        _spool.Flush();
        _spool.Position = 0;
        return _spool;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _spool.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _spool.DisposeAsync();
        await base.DisposeAsync();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
