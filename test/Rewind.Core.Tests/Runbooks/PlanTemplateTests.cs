using Rewind.Core.Runbooks;

namespace Rewind.Core.Tests.Runbooks;

public sealed class PlanTemplateTests
{
    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal) { ["DEPLOY_TOKEN"] = "s3cr3t" };

    [Theory]
    [InlineData("{{target.version}}", false, null)]
    [InlineData("--time={{from.recorded-at}}", false, null)]
    [InlineData("{{target.recorded-at}}", false, null)]
    [InlineData("{{from.recorded_at}}", false, "unknown placeholder {{from.recorded_at}}")]
    [InlineData("--only=functions:{{member}}", true, null)]
    [InlineData("Bearer {{secret.DEPLOY_TOKEN}}", false, null)]
    [InlineData("{{member}}", false, "unknown placeholder {{member}}")]
    [InlineData("{{target.colour}}", true, "unknown placeholder {{target.colour}}")]
    [InlineData("{{secret.bad name}}", false, "unknown placeholder {{secret.bad name}}")]
    [InlineData("v{{target.version", false, "'{{' at character 2 is never closed")]
    public void Check_KnowsThePlaceholders(string text, bool member, string? error)
    {
        var result = PlanTemplate.Check(text, member);

        if (error is null)
        {
            result.ShouldBeNull();
        }
        else
        {
            result.ShouldNotBeNull().ShouldStartWith(error);
        }
    }

    [Fact]
    public void RenderPlan_FillsPlanTimeValuesAndKeepsMemberAndSecrets()
    {
        PlanTemplate.RenderPlan("{{component}}@{{target.version}} from {{from.version}} for {{member}} with {{secret.DEPLOY_TOKEN}}", "api", "v1", null)
            .ShouldBe("api@v1 from unknown for {{member}} with {{secret.DEPLOY_TOKEN}}");
    }

    [Fact]
    public void RenderPlan_DeployTimes_AreRfc3339UtcToTheMillisecondCutDown()
    {
        var values = new PlanValues("db", "v1", "v2")
        {
            FromRecordedAt = new DateTimeOffset(2026, 12, 7, 3, 23, 45, TimeSpan.FromHours(2)).AddTicks(1_239_999),
            TargetRecordedAt = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero),
        };

        PlanTemplate.RenderPlan("--time={{from.recorded-at}} (v1 since {{ target.recorded-at }})", values)
            .ShouldBe("--time=2026-12-07T01:23:45.123Z (v1 since 2026-12-01T09:00:00.000Z)");
        PlanTemplate.Unknown("{{from.recorded-at}} {{target.recorded-at}}", values).ShouldBeEmpty();
    }

    [Fact]
    public void RenderPlan_UnknownDeployTime_StaysAPlaceholderThatUnknownNames()
    {
        var values = new PlanValues("db", "v1", null);

        PlanTemplate.RenderPlan("--time {{from.recorded-at}}", values).ShouldBe("--time {{from.recorded-at}}");
        PlanTemplate.Unknown("{{from.version}} {{from.recorded-at}} {{target.recorded-at}}", values).ShouldBe(["from.recorded-at", "target.recorded-at"]);
    }

    [Theory]
    [InlineData("--time={{from.recorded-at}}", "from.recorded-at")]
    [InlineData("{{target.recorded-at}}", "target.recorded-at")]
    [InlineData("{{from.version}} {{secret.T}}", null)]
    public void PlanStepOnly_NamesTheDeployTimes(string text, string? name) =>
        PlanTemplate.PlanStepOnly(text).ShouldBe(name);

    [Fact]
    public void RenderCall_FillsMemberAndSecretAtTheLastMoment()
    {
        PlanTemplate.RenderCall("{{member}}:{{secret.DEPLOY_TOKEN}}", "fn-001", Environment.GetValueOrDefault).ShouldBe("fn-001:s3cr3t");
        Should.Throw<InvalidOperationException>(() => PlanTemplate.RenderCall("{{secret.MISSING}}", null, Environment.GetValueOrDefault))
            .Message.ShouldBe("secret MISSING: the environment variable is not set");
    }

    [Theory]
    [InlineData("fn-001", true)]
    [InlineData("projects/p/locations/eu/functions/checkout", true)]
    [InlineData("-rf", false)]
    [InlineData("--all", false)]
    [InlineData("a b", false)]
    [InlineData("a;b", false)]
    [InlineData("", false)]
    public void IsValidMember_RefusesWhatCouldBeAnOptionOrWorse(string member, bool valid) =>
        PlanTemplate.IsValidMember(member).ShouldBe(valid);
}
