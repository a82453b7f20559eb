namespace Rewind.Runtime.Backups;

internal sealed partial class LocalStorage
{
    /// <summary>A file written to <paramref name="temporary"/> (or in place, without one), fsynced, and renamed to <paramref name="path"/> on commit.</summary>
    private sealed class FileWriter(string path, string? temporary) : ObjectWriter
    {
        private readonly FileStream _file = new(temporary ?? path, FileMode.CreateNew, FileAccess.Write, FileShare.None, StoredFile.BufferSize);
        private bool _committed;

        public override void Commit()
        {
            _file.Flush(flushToDisk: true);
            _file.Dispose();
            if (temporary is not null)
            {
                File.Move(temporary, path, overwrite: true);
            }

            _committed = true;
        }

        protected override void WriteCore(ReadOnlySpan<byte> buffer) => _file.Write(buffer);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _file.Dispose();
                if (!_committed && temporary is not null)
                {
                    File.Delete(temporary);
                }
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A set written into a work directory, renamed to its folder once the manifest is written (<see cref="SetPublisher"/>).</summary>
    private sealed class StagedSet(string work, string destination) : SetWriter
    {
        public override ObjectWriter Create(string relative)
        {
            var path = Path.Combine(work, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new FileWriter(path, temporary: null);
        }

        public override void CreateFolder(string relative) => Directory.CreateDirectory(Path.Combine(work, relative));

        public override void Publish(byte[] manifest) => SetPublisher.Publish(work, manifest, destination);
    }
}
