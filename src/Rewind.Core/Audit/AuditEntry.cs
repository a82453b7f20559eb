using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rewind.Core.Audit;

/// <summary>
/// One line of the audit log: who did what to which target, when, from where, and with what result. Each entry
/// carries the hash of the one before it, so editing, removing or reordering entries breaks the chain. <see cref="Count"/>
/// is how many requests the entry stands for: 1, except for refused requests counted over a window (see
/// <see cref="RefusalTally"/>).
/// </summary>
public sealed record AuditEntry(long Seq, DateTimeOffset At, string Actor, string Action, string Target, string Source, string Result, string Detail, string PreviousHash, string Hash, long Count = 1)
{
    public AuditRecord ToRecord() => new(At, Actor, Action, Target, Source, Result, Detail, Count);
}

/// <summary>What is appended; the store gives it its sequence number and hashes. <see cref="Count"/>: how many requests it stands for, default 1.</summary>
public sealed record AuditRecord(DateTimeOffset At, string Actor, string Action, string Target, string Source, string Result, string Detail = "", long Count = 1);

/// <summary>The hash chain of the audit log.</summary>
public static class AuditChain
{
    /// <summary>The hash before the first entry.</summary>
    public const string Genesis = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>
    /// SHA-256 over the previous hash and every field, each length-prefixed so no two entries can collide by shifting
    /// text between fields. The count is a field only when it is not 1, so entries written before counts existed keep
    /// their hashes, and a changed count breaks the chain like any other edit.
    /// </summary>
    public static string HashOf(long seq, string previousHash, AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var text = new StringBuilder();
        foreach (var field in new[]
        {
            seq.ToString(CultureInfo.InvariantCulture), previousHash, record.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            record.Actor, record.Action, record.Target, record.Source, record.Result, record.Detail,
        })
        {
            text.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }

        if (record.Count != 1)
        {
            var count = "count=" + record.Count.ToString(CultureInfo.InvariantCulture);
            text.Append(count.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(count).Append('\n');
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Every break in the chain, in order; empty when the log is intact.</summary>
    public static IReadOnlyList<string> Verify(IEnumerable<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var problems = new List<string>();
        var previous = Genesis;
        long expectedSeq = 1;
        foreach (var entry in entries)
        {
            if (entry.Seq != expectedSeq)
            {
                problems.Add(entry.Seq > expectedSeq
                    ? $"entries {expectedSeq}..{entry.Seq - 1} are missing (removed)"
                    : $"entry {entry.Seq} is out of order (expected {expectedSeq})");
            }

            if (!string.Equals(entry.PreviousHash, previous, StringComparison.Ordinal))
            {
                problems.Add($"entry {entry.Seq} does not follow the entry before it (its previous hash does not match): removed or reordered entries");
            }

            if (!string.Equals(HashOf(entry.Seq, entry.PreviousHash, entry.ToRecord()), entry.Hash, StringComparison.Ordinal))
            {
                problems.Add($"entry {entry.Seq} was edited: its content does not match its hash");
            }

            previous = entry.Hash;
            expectedSeq = entry.Seq + 1;
        }

        return problems;
    }
}
