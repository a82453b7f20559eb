using Rewind.Core.Runbooks;

namespace Rewind.Runtime.Processes;

/// <summary>
/// A process to run: an argument vector (the first element is the executable), never a shell string.
/// </summary>
/// <param name="Argv">The executable and its arguments, passed one by one; nothing is split or expanded.</param>
/// <param name="WorkingDirectory">The directory the process starts in; <see langword="null"/> keeps the controller's.</param>
/// <param name="Timeout">How long the process may run before its whole process group is ended.</param>
public sealed record ProcessRequest(IReadOnlyList<string> Argv, string? WorkingDirectory, TimeSpan Timeout)
{
    /// <summary>Variables added to (or, with a <see langword="null"/> value, removed from) the inherited environment.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>Text written to the process's stdin, which is then closed; <see langword="null"/> closes stdin at once.</summary>
    public string? StandardInput { get; init; }

    /// <summary>
    /// The secrets filled into the argv or environment: replaced in the captured output (before any of it is dropped)
    /// and in what is logged or reported about the process. Default none.
    /// </summary>
    public SecretRedactor Secrets { get; init; } = SecretRedactor.None;

    /// <summary>
    /// Keeps a durable record of the process group while it runs (a rollback step's, in the store); <see langword="null"/>
    /// (the default) records nothing.
    /// </summary>
    public IProcessRecorder? Recorder { get; init; }
}
