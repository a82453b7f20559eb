using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Rewind.Runtime.Backups;

/// <summary>Encrypts what is written in <see cref="FileCipher"/>'s chunked format; the last chunk is written on dispose.</summary>
internal sealed class EncryptingStream : Stream
{
    private readonly Stream _destination;
    private readonly bool _leaveOpen;
    private readonly AesGcm _aes;
    private readonly byte[] _header = new byte[FileCipher.HeaderSize];
    private readonly byte[] _plain;
    private readonly byte[] _cipher;
    private readonly byte[] _nonce = new byte[FileCipher.NonceSize];
    private readonly byte[] _associated = new byte[FileCipher.HeaderSize + 5];
    private int _buffered;
    private uint _index;
    private bool _disposed;

    public EncryptingStream(Stream destination, BackupKey key, int chunkSize, bool leaveOpen)
    {
        _destination = destination;
        _leaveOpen = leaveOpen;
        _aes = new AesGcm(key.Bytes, FileCipher.TagSize);
        _plain = new byte[chunkSize];
        _cipher = new byte[chunkSize + FileCipher.TagSize];
        FileCipher.Magic.CopyTo(_header);
        key.IdBytes.CopyTo(_header.AsSpan(8));
        RandomNumberGenerator.Fill(_header.AsSpan(16, 8));
        BinaryPrimitives.WriteInt32BigEndian(_header.AsSpan(24), chunkSize);
        _destination.Write(_header);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_disposed;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _plain.Length - _buffered);
            buffer[..take].CopyTo(_plain.AsSpan(_buffered));
            _buffered += take;
            buffer = buffer[take..];
            if (_buffered == _plain.Length)
            {
                // A full chunk is never the last one: the file always ends with a shorter (maybe empty) chunk.
                WriteChunk(last: false);
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush() => _destination.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            WriteChunk(last: true);
            _disposed = true;
            _aes.Dispose();
            if (!_leaveOpen)
            {
                _destination.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void WriteChunk(bool last)
    {
        if (_index == uint.MaxValue)
        {
            throw new IOException("file too large for one encrypted stream (2^32 chunks)");
        }

        FileCipher.WriteNonce(_nonce, _header.AsSpan(16, 8), _index);
        FileCipher.WriteAssociatedData(_associated, _header, _index, last);
        var cipher = _cipher.AsSpan(0, _buffered);
        _aes.Encrypt(_nonce, _plain.AsSpan(0, _buffered), cipher, _cipher.AsSpan(_buffered, FileCipher.TagSize), _associated);
        _destination.Write(_cipher.AsSpan(0, _buffered + FileCipher.TagSize));
        _buffered = 0;
        _index++;
    }
}
