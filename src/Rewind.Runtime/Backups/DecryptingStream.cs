using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Rewind.Runtime.Backups;

/// <summary>Reads <see cref="FileCipher"/>'s chunked format, authenticating each chunk before any of its bytes are returned.</summary>
internal sealed class DecryptingStream : Stream
{
    private readonly Stream _source;
    private readonly bool _leaveOpen;
    private readonly BackupKey _key;
    private readonly byte[] _header = new byte[FileCipher.HeaderSize];
    private readonly byte[] _nonce = new byte[FileCipher.NonceSize];
    private readonly byte[] _associated = new byte[FileCipher.HeaderSize + 5];
    private AesGcm? _aes;
    private byte[] _plain = [];
    private byte[] _cipher = [];
    private int _plainStart;
    private int _plainEnd;
    private uint _index;
    private bool _finished;

    public DecryptingStream(Stream source, BackupKey key, bool leaveOpen)
    {
        _source = source;
        _key = key;
        _leaveOpen = leaveOpen;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        while (_plainStart == _plainEnd)
        {
            if (_finished)
            {
                return 0;
            }

            ReadChunk();
        }

        var count = Math.Min(buffer.Length, _plainEnd - _plainStart);
        _plain.AsSpan(_plainStart, count).CopyTo(buffer);
        _plainStart += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes?.Dispose();
            if (!_leaveOpen)
            {
                _source.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void ReadHeader()
    {
        if (_source.ReadAtLeast(_header, _header.Length, throwOnEndOfStream: false) < _header.Length || !_header.AsSpan(0, 8).SequenceEqual(FileCipher.Magic))
        {
            throw new BackupIntegrityException("not an encrypted backup file (no RWENC001 header): corrupt, or stored without encryption");
        }

        var keyId = Convert.ToHexStringLower(_header.AsSpan(8, 8));
        if (keyId != _key.Id)
        {
            throw new BackupIntegrityException($"encrypted with key {keyId}, but the given key is {_key.Id}: wrong key", wrongKey: true);
        }

        var chunkSize = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(24));
        if (chunkSize is < 4096 or > 64 * 1024 * 1024)
        {
            throw new BackupIntegrityException($"corrupt encryption header (chunk size {chunkSize})");
        }

        _aes = new AesGcm(_key.Bytes, FileCipher.TagSize);
        _plain = new byte[chunkSize];
        _cipher = new byte[chunkSize + FileCipher.TagSize];
    }

    private void ReadChunk()
    {
        if (_aes is null)
        {
            ReadHeader();
        }

        var read = _source.ReadAtLeast(_cipher, _cipher.Length, throwOnEndOfStream: false);
        if (read < FileCipher.TagSize)
        {
            throw new BackupIntegrityException($"truncated: the encrypted file ends before its last chunk (chunk {_index})");
        }

        var last = read < _cipher.Length;
        var length = read - FileCipher.TagSize;
        FileCipher.WriteNonce(_nonce, _header.AsSpan(16, 8), _index);
        FileCipher.WriteAssociatedData(_associated, _header, _index, last);
        try
        {
            _aes!.Decrypt(_nonce, _cipher.AsSpan(0, length), _cipher.AsSpan(length, FileCipher.TagSize), _plain.AsSpan(0, length), _associated);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new BackupIntegrityException($"chunk {_index} failed authentication: the file is corrupt, truncated or was tampered with", ex);
        }

        if (last && _source.ReadAtLeast(_cipher.AsSpan(0, 1), 1, throwOnEndOfStream: false) > 0)
        {
            throw new BackupIntegrityException($"data after the last chunk ({_index}): the file was tampered with");
        }

        _plainStart = 0;
        _plainEnd = length;
        _finished = last;
        _index++;
    }
}
