using Rewind.Core.Incidents;

namespace Rewind.Core.Tests.Incidents;

public sealed class IncidentLifecycleTests
{
    [Theory]
    [InlineData(IncidentStatus.Investigating, IncidentStatus.Mitigating)]
    [InlineData(IncidentStatus.Investigating, IncidentStatus.Monitoring)]
    [InlineData(IncidentStatus.Mitigating, IncidentStatus.Monitoring)]
    public void Refusal_ForwardMove_IsAllowed(IncidentStatus from, IncidentStatus to)
    {
        IncidentLifecycle.Refusal(from, to).ShouldBeNull();
    }

    [Theory]
    [InlineData(IncidentStatus.Monitoring, IncidentStatus.Mitigating, "statuses only move forward (investigating → mitigating → monitoring); the incident is monitoring")]
    [InlineData(IncidentStatus.Mitigating, IncidentStatus.Mitigating, "the incident is already mitigating")]
    [InlineData(IncidentStatus.Resolved, IncidentStatus.Monitoring, "the incident is resolved")]
    [InlineData(IncidentStatus.Monitoring, IncidentStatus.Resolved, "resolve the incident instead, saying why")]
    public void Refusal_BackwardSameOrAroundResolution_SaysWhy(IncidentStatus from, IncidentStatus to, string why)
    {
        IncidentLifecycle.Refusal(from, to).ShouldBe(why);
    }

    [Theory]
    [InlineData("mitigating", true)]
    [InlineData(" Monitoring ", true)]
    [InlineData("resolved", false)]
    [InlineData("investigating", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void TryParseSettable_OnlyMitigatingAndMonitoring(string? text, bool settable)
    {
        IncidentLifecycle.TryParseSettable(text, out _).ShouldBe(settable);
    }
}
