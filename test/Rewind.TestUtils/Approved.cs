using Shouldly;

namespace Rewind.TestUtils;

/// <summary>
/// Snapshot tests of what users read. The approved text lives beside the test as <c>Approved/NAME.txt</c>; a mismatch
/// writes <c>NAME.received.txt</c> next to it so the difference can be reviewed and, if right, copied over.
/// Set REWIND_APPROVE=1 to accept all received output.
/// </summary>
public static class Approved
{
    public static void Verify(string name, string actual, string testProjectDirectory)
    {
        var directory = Path.Combine(testProjectDirectory, "Approved");
        var approvedPath = Path.Combine(directory, name + ".txt");
        var receivedPath = Path.Combine(directory, name + ".received.txt");
        var normalized = actual.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";
        if (Environment.GetEnvironmentVariable("REWIND_APPROVE") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(approvedPath, normalized);
        }

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath) : null;
        if (approved != normalized)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(receivedPath, normalized);
        }
        else if (File.Exists(receivedPath))
        {
            File.Delete(receivedPath);
        }

        normalized.ShouldBe(approved ?? $"(no approved file {approvedPath})", $"snapshot {name} differs; see {receivedPath}");
    }
}
