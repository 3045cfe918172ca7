namespace OfflineCirc.Web.Sessions;

public class IntakeOptions
{
    /// <summary>Largest file accepted, in bytes (Intake:MaxUploadBytes; 256 MB by default).</summary>
    public long MaxUploadBytes { get; set; } = 256L * 1024 * 1024;

    public string MaxUploadText => MaxUploadBytes >= 1024 * 1024 ? $"{MaxUploadBytes / (1024 * 1024)} MB" : $"{MaxUploadBytes / 1024} KB";

    public IntakeException TooLarge()
    {
        var refusal = Infrastructure.Refusals.UploadTooLarge(MaxUploadText);
        return new(refusal.Sentence, refusal.Status);
    }
}

/// <summary>Reads through to the upload and stops it once it passes the size limit, whatever the client claimed.</summary>
public sealed class LimitedStream(Stream inner, IntakeOptions options) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int read)
    {
        BytesRead += read;
        if (BytesRead > options.MaxUploadBytes)
        {
            throw options.TooLarge();
        }
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
