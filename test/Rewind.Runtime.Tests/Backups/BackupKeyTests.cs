using System.Security.Cryptography;
using System.Text;
using Rewind.Runtime.Backups;
using Rewind.Runtime.Tests.Support;

namespace Rewind.Runtime.Tests.Backups;

public sealed class BackupKeyTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Load_ThirtyTwoRawBytes_GivesTheKeyAndItsId()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        File.WriteAllBytes(_directory.Combine("key"), bytes);

        var loaded = BackupKey.Load(_directory.Combine("key"));

        loaded.Error.ShouldBeNull();
        loaded.Key!.Id.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)[..8]));
    }

    [Fact]
    public void Load_SixtyFourHexDigitsAndANewline_GivesTheSameKeyAsTheRawBytes()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(_directory.Combine("key"), Convert.ToHexStringLower(bytes) + "\n", Encoding.ASCII);

        BackupKey.Load(_directory.Combine("key")).Key!.Id.ShouldBe(BackupKey.FromBytes(bytes).Id);
    }

    [Fact]
    public void Load_WrongLength_RefusesSayingWhatAKeyIs()
    {
        File.WriteAllBytes(_directory.Combine("key"), new byte[16]);

        var loaded = BackupKey.Load(_directory.Combine("key"));

        loaded.Key.ShouldBeNull();
        loaded.Error.ShouldBe($"the backup key file {_directory.Combine("key")} holds 16 bytes; a key is exactly 32 random bytes or 64 hex digits (make one with: openssl rand 32 > key)");
    }

    [Fact]
    public void Load_MissingFile_SaysItCannotBeRead()
    {
        BackupKey.Load(_directory.Combine("absent")).Error.ShouldStartWith($"cannot read the backup key file {_directory.Combine("absent")}: ");
    }
}
