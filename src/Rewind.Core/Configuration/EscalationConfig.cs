namespace Rewind.Core.Configuration;

/// <summary>
/// Who is paged, and when, while an incident stays unacknowledged or unresolved. The first policy whose <c>when</c>
/// matches an incident applies; an incident no policy matches is told to the channels by their <c>events</c> only.
/// </summary>
public sealed class EscalationPolicyConfig
{
    /// <summary>A name for messages and the API. Default <c>escalation[INDEX]</c>.</summary>
    public string? Name { get; set; }

    public MatchConfig When { get; set; } = new();

    /// <summary>Level 1, 2, …: each reached once, in order, when its time has come and its condition still holds.</summary>
    public List<EscalationLevelConfig> Levels { get; set; } = [];
}

/// <summary>One level: after how long (since the incident opened), on what condition, whom, through which channels.</summary>
public sealed class EscalationLevelConfig
{
    /// <summary>Time since the incident opened. <c>0s</c> pages at once.</summary>
    public TimeSpan After { get; set; }

    /// <summary>The level is reached only while this holds. Default <c>unacknowledged</c>.</summary>
    public EscalationCondition If { get; set; } = EscalationCondition.Unacknowledged;

    /// <summary>Who is responsible at this level, in words (names, rotations, addresses); shown in messages and payloads.</summary>
    public List<string> Contacts { get; set; } = [];

    /// <summary>Channels paged when the level is reached, whatever their <c>events</c> and <c>min-severity</c> say.</summary>
    public List<string> Channels { get; set; } = [];
}

public enum EscalationCondition
{
    /// <summary>Nobody has acknowledged the incident.</summary>
    Unacknowledged,

    /// <summary>The incident is not resolved, acknowledged or not.</summary>
    Unresolved,
}
