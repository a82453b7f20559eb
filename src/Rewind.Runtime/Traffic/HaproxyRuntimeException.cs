namespace Rewind.Runtime.Traffic;

/// <summary>
/// HAProxy refused a runtime API command (<see cref="Answer"/> holds its words: "No such server.", "Permission denied",
/// …), or could not be asked (<see cref="IsTransient"/>: refused, no socket, no answer in time).
/// </summary>
public sealed class HaproxyRuntimeException : Exception
{
    public HaproxyRuntimeException()
    {
    }

    public HaproxyRuntimeException(string message)
        : base(message)
    {
    }

    public HaproxyRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal HaproxyRuntimeException(string command, string answer)
        : base($"HAProxy refused '{command}': {answer}")
    {
        Command = command;
        Answer = answer;
    }

    internal HaproxyRuntimeException(string command, string message, Exception? innerException, bool isTransient)
        : base(message, innerException)
    {
        Command = command;
        IsTransient = isTransient;
    }

    /// <summary>The command line sent (or about to be sent), without its newline.</summary>
    public string? Command { get; }

    /// <summary>HAProxy's answer, trimmed; null when there was no answer.</summary>
    public string? Answer { get; }

    /// <summary>Asking again later may succeed: the socket was unreachable or silent, HAProxy did not say no.</summary>
    public bool IsTransient { get; }
}
