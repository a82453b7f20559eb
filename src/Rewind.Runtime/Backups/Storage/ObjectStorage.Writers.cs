using System.Buffers;
using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3.Model;

namespace Rewind.Runtime.Backups;

internal sealed partial class ObjectStorage
{
    /// <summary>
    /// Streams one object up: a small one in a single PUT on commit; a large one as a multipart upload, each part sent
    /// while the next is filled (two part buffers per writer, whatever the object's size), completed on commit and
    /// aborted when disposed uncommitted.
    /// </summary>
    private sealed class UploadWriter(ObjectStorage storage, string key) : ObjectWriter
    {
        private readonly List<PartETag> _parts = [];
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(storage.PartSize);
        private int _filled;
        private string? _uploadId;
        private Task? _sending;
        private byte[]? _sendingBuffer;
        private int _sent;
        private bool _committed;

        private int CurrentPartSize => storage.PartSize << Math.Min(4, _sent / 1000);

        public override void Commit()
        {
            try
            {
                if (_uploadId is null)
                {
                    Wait(() => storage.PutAsync(key, _buffer, _filled, CancellationToken.None));
                }
                else
                {
                    if (_filled > 0)
                    {
                        SendPart();
                    }

                    WaitForSend();
                    Wait(() => storage.Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                    {
                        BucketName = storage.Bucket, Key = storage._prefix + key, UploadId = _uploadId, PartETags = [.. _parts.OrderBy(p => p.PartNumber)],
                    }));
                }
            }
            catch (Exception ex) when (ObjectStorage.IsFailure(ex))
            {
                throw storage.Failure("upload", key, ex);
            }

            _committed = true;
        }

        protected override void WriteCore(ReadOnlySpan<byte> buffer)
        {
            while (buffer.Length > 0)
            {
                if (_buffer.Length < CurrentPartSize)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(CurrentPartSize);
                    _buffer.AsSpan(0, _filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = larger;
                }

                var take = Math.Min(buffer.Length, CurrentPartSize - _filled);
                buffer[..take].CopyTo(_buffer.AsSpan(_filled));
                _filled += take;
                buffer = buffer[take..];
                if (_filled == CurrentPartSize)
                {
                    SendPart();
                }
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                try
                {
                    _sending?.Wait();
                }
                catch (AggregateException)
                {
                    // the part failed: the upload is aborted below, and Commit already reported it
                }

                if (!_committed && _uploadId is not null)
                {
                    AbortQuietly();
                }

                ArrayPool<byte>.Shared.Return(_buffer);
                if (_sendingBuffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(_sendingBuffer);
                }
            }

            base.Dispose(disposing);
        }

        /// <summary>Sends the filled buffer as the next part, in the background, after the previous part has gone.</summary>
        private void SendPart()
        {
            _uploadId ??= Wait(() => storage.Client.InitiateMultipartUploadAsync(storage.Bucket, storage._prefix + key)).UploadId;
            WaitForSend();
            var (buffer, count, number) = (_buffer, _filled, ++_sent);
            _buffer = _sendingBuffer ?? ArrayPool<byte>.Shared.Rent(CurrentPartSize);
            _sendingBuffer = buffer;
            _filled = 0;
            _sending = Task.Run(async () =>
            {
                using var body = new MemoryStream(buffer, 0, count, writable: false);
                var response = await storage.Client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = storage.Bucket, Key = storage._prefix + key, UploadId = _uploadId, PartNumber = number, InputStream = body, PartSize = count, UseChunkEncoding = false,
                });
                lock (_parts)
                {
                    _parts.Add(new PartETag(number, response.ETag));
                }
            });
        }

        private void WaitForSend()
        {
            try
            {
                _sending?.GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ObjectStorage.IsFailure(ex))
            {
                throw storage.Failure("upload", key, ex);
            }
            finally
            {
                _sending = null;
            }
        }

        private void AbortQuietly()
        {
            try
            {
                Wait(() => storage.Client.AbortMultipartUploadAsync(storage.Bucket, storage._prefix + key, _uploadId));
            }
            catch (Exception ex) when (ObjectStorage.IsFailure(ex))
            {
                // an upload left incomplete is aborted by expiry (or by the bucket's lifecycle rule)
            }
        }
    }

    /// <summary>A set uploaded under its final keys, published by writing its manifest last; unpublished, its objects are deleted.</summary>
    private sealed class ObjectSet : SetWriter
    {
        private readonly ObjectStorage storage;
        private readonly string folder;
        private readonly ConcurrentBag<string> _written = [];
        private readonly Bundler _bundler;
        private bool _published;

        public ObjectSet(ObjectStorage storage, string folder)
        {
            this.storage = storage;
            this.folder = folder;
            _bundler = new Bundler(storage, folder, _written);
        }

        public override ObjectWriter Create(string relative)
        {
            var key = $"{folder}/{relative}";
            _written.Add(key);
            if (storage._options.BundleLimit <= 0)
            {
                return new UploadWriter(storage, key);
            }

            return new BundlingWriter(storage, key, relative, _bundler);
        }

        /// <summary>The last bundle and the bundle index first, then the manifest: the index is in place before the set counts.</summary>
        public override void Publish(byte[] manifest)
        {
            if (_bundler.Finish() is { } index)
            {
                Wait(() => storage.WriteAllAsync($"{folder}/{BundleIndexName}", BackupJson.Serialize(index), CancellationToken.None));
                _written.Add($"{folder}/{BundleIndexName}");
            }

            Wait(() => storage.WriteAllAsync($"{folder}/{ManifestName}", manifest, CancellationToken.None));
            _published = true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _bundler.Dispose();
            }

            if (disposing && !_published)
            {
                try
                {
                    Wait(() => storage.DeleteAllAsync(_written));
                }
                catch (IOException)
                {
                    // no manifest names them: never listed, and expiry removes them once old enough
                }
            }

            base.Dispose(disposing);
        }
    }
}
