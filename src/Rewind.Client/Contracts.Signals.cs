namespace Rewind.Client;

/// <summary>
/// Body of <c>POST /api/v1/signals</c>: events only the application knows (payment failures, auth failures, security
/// events, user complaints). Sent with <c>Authorization: Bearer TOKEN</c>, one of the server's push tokens.
/// </summary>
/// <param name="Component">A component of the config.</param>
/// <param name="Event">A kind declared in the component's <c>events</c>.</param>
/// <param name="Count">How many happened (1 to 100,000); default 1.</param>
/// <param name="At">When; default now. At most 5 minutes in the past or 1 minute in the future.</param>
/// <param name="Detail">Free text, at most 1,000 characters.</param>
public sealed record PushEventRequest(string Component, string Event, long Count = 1, DateTimeOffset? At = null, string? Detail = null);

/// <summary>An accepted event, as counted.</summary>
public sealed record PushedEventDto(string Component, string Event, long Count, DateTimeOffset At, string PushedBy);

/// <summary>The latest value of one numeric signal of a component; a null value is no data.</summary>
public sealed record SignalDto(string Signal, DateTimeOffset At, double? Value, string? Error);
