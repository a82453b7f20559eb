namespace Rewind.Engine;

/// <summary>What kind of "no" a workflow answered; the host maps it to its own terms (an HTTP status, an exit code).</summary>
internal enum RefusalKind
{
    /// <summary>The thing asked about does not exist.</summary>
    NotFound,

    /// <summary>The request itself is wrong; asking again the same way cannot succeed.</summary>
    Invalid,

    /// <summary>The person asking may not do this.</summary>
    Forbidden,

    /// <summary>The thing is not in a state that allows it (any more).</summary>
    Conflict,
}

/// <summary>An expected "no" of a workflow: its kind, a title an operator can act on, and the detail.</summary>
internal sealed record Refusal(RefusalKind Kind, string Title, string Detail)
{
    public static Refusal NotFound(string title, string detail) => new(RefusalKind.NotFound, title, detail);

    public static Refusal Invalid(string title, string detail) => new(RefusalKind.Invalid, title, detail);

    public static Refusal Forbidden(string title, string detail) => new(RefusalKind.Forbidden, title, detail);

    public static Refusal Conflict(string title, string detail) => new(RefusalKind.Conflict, title, detail);
}

/// <summary>What a workflow did: the thing as it is now, or why nothing was done.</summary>
internal sealed record Outcome<T>(T? Value, Refusal? Refusal)
    where T : class
{
    public static implicit operator Outcome<T>(Refusal refusal) => new(null, refusal);

    public static Outcome<T> Done(T value) => new(value, null);
}
