namespace Rewind.Runtime.Backups;

/// <summary>
/// A write-only stream into a new object: the object exists only after <see cref="Commit"/>, and an uncommitted writer,
/// when disposed, leaves nothing that looks complete.
/// </summary>
internal abstract class ObjectWriter : Stream
{
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    /// <summary>The bytes written so far: the object's stored size.</summary>
    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    /// <summary>Makes the object durable and visible under its key.</summary>
    public abstract void Commit();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        WriteCore(buffer);
        _written += buffer.Length;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected abstract void WriteCore(ReadOnlySpan<byte> buffer);
}
