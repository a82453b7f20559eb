using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rewind.Cli.Agent;

/// <summary>
/// What the agent's journal holds for one attempt: when it started, and once it ended, how; and whether that was reported.
/// <see cref="Done"/> counts the steps of a sequence (a fleet host's switch and restart) that ended, <see cref="Said"/> what they printed.
/// </summary>
internal sealed record JournalEntry(string Id, DateTimeOffset StartedAt, string? Status = null, string? Output = null, DateTimeOffset? FinishedAt = null, bool Reported = false, int Done = 0, string? Said = null);

/// <summary>A rollback run on the host with no controller (<c>rewind agent rollback</c>), kept until a controller took the report.</summary>
internal sealed record BreakGlassEntry(string Id, string Component, string? FromVersion, string ToVersion, string RunBy, bool Succeeded, string Output, DateTimeOffset RanAt, bool Reported = false);

/// <summary>
/// The agent's local journal: one file per attempt, written (flushed to disk, then renamed into place) before the step
/// acts and again when it ended, so that an agent killed at any instant knows after its restart which steps it started,
/// which it finished and which it still has to report: a step is never run twice, and never left without a word.
/// </summary>
internal sealed partial class AgentJournal
{
    private const string KnownGoodFile = "known-good.json";
    private const string BreakGlassDirectory = "break-glass";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _directory;

    public AgentJournal(string directory)
    {
        _directory = directory;
        System.IO.Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Directory => _directory;

    /// <summary>
    /// The agent's instance id, kept in the journal (made at its first start): an agent restarted with its journal is the
    /// same instance, so the controller hands it back the steps it had taken, and its journal says what became of them.
    /// </summary>
    public string Instance()
    {
        var path = Path.Combine(_directory, "instance");
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } kept && InstanceId().IsMatch(kept))
        {
            return kept;
        }

        var made = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        File.WriteAllText(path, made + "\n");
        return made;
    }

    /// <summary>Whether <paramref name="id"/> can name a journal file: it comes from the controller, and is checked like any input.</summary>
    public static bool IsValidId(string id) => AttemptId().IsMatch(id) && !id.Contains("..", StringComparison.Ordinal);

    public JournalEntry? Read(string id)
    {
        var path = PathOf(id);
        return File.Exists(path) ? JsonSerializer.Deserialize<JournalEntry>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>Written before the step acts.</summary>
    public JournalEntry Started(string id, DateTimeOffset at) => Write(new JournalEntry(id, at));

    /// <summary>One more step of the attempt's sequence ended well, before the next one acts.</summary>
    public JournalEntry Progressed(JournalEntry entry, string said) =>
        Write(entry with { Done = entry.Done + 1, Said = entry.Said is null ? said : $"{entry.Said}\n{said}" });

    public JournalEntry Finished(JournalEntry entry, string status, string output, DateTimeOffset at) =>
        Write(entry with { Status = status, Output = output, FinishedAt = at });

    public JournalEntry Reported(JournalEntry entry) => Write(entry with { Reported = true });

    /// <summary>Every entry that ended and was not reported yet, oldest first.</summary>
    public IReadOnlyList<JournalEntry> Unreported() =>
        [.. All().Where(e => e.Status is not null && !e.Reported).OrderBy(e => e.StartedAt)];

    /// <summary>
    /// Removes reported entries that ended before <paramref name="before"/>, and entries started before it that never
    /// ended (their step was given up by the controller and is not handed out again).
    /// </summary>
    public int Prune(DateTimeOffset before)
    {
        var removed = 0;
        foreach (var entry in All().Where(e => (e.Reported && e.FinishedAt < before) || (e.Status is null && e.StartedAt < before)))
        {
            File.Delete(PathOf(entry.Id));
            removed++;
        }

        return removed;
    }

    /// <summary>Keeps the controller's latest word on the host's last known goods (what <c>rewind agent rollback</c> reads).</summary>
    public void SaveKnownGood(Client.AgentKnownGoodDto known) => WriteFile(Path.Combine(_directory, KnownGoodFile), JsonSerializer.Serialize(known, Json));

    /// <summary>The last known goods as the controller last gave them; null when the agent never got them.</summary>
    public Client.AgentKnownGoodDto? KnownGood()
    {
        var path = Path.Combine(_directory, KnownGoodFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<Client.AgentKnownGoodDto>(File.ReadAllText(path), Json) : null;
    }

    public BreakGlassEntry SaveBreakGlass(BreakGlassEntry entry)
    {
        var directory = Path.Combine(_directory, BreakGlassDirectory);
        System.IO.Directory.CreateDirectory(directory);
        WriteFile(Path.Combine(directory, entry.Id + ".json"), JsonSerializer.Serialize(entry, Json));
        return entry;
    }

    /// <summary>Break-glass rollbacks not reported yet, oldest first.</summary>
    public IReadOnlyList<BreakGlassEntry> UnreportedBreakGlass()
    {
        var directory = Path.Combine(_directory, BreakGlassDirectory);
        return System.IO.Directory.Exists(directory)
            ? [.. System.IO.Directory.EnumerateFiles(directory, "*.json").Select(p => JsonSerializer.Deserialize<BreakGlassEntry>(File.ReadAllText(p), Json)).OfType<BreakGlassEntry>().Where(e => !e.Reported).OrderBy(e => e.RanAt)]
            : [];
    }

    private IEnumerable<JournalEntry> All() =>
        System.IO.Directory.EnumerateFiles(_directory, "*.json")
            .Where(path => Path.GetFileName(path) != KnownGoodFile)
            .Select(path => JsonSerializer.Deserialize<JournalEntry>(File.ReadAllText(path), Json))
            .OfType<JournalEntry>();

    private JournalEntry Write(JournalEntry entry)
    {
        WriteFile(PathOf(entry.Id), JsonSerializer.Serialize(entry, Json));
        return entry;
    }

    /// <summary>Writes beside the file, flushed to disk, then renames it over the file: a reader sees the old or the new one.</summary>
    private static void WriteFile(string path, string text)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.tmp-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private string PathOf(string id) => IsValidId(id) ? Path.Combine(_directory, id + ".json") : throw new ArgumentException($"'{id}' is not an attempt id", nameof(id));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AttemptId();

    [GeneratedRegex("^[a-z0-9-]{1,64}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex InstanceId();
}
