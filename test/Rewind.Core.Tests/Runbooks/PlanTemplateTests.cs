using Rewind.Core.Runbooks;

namespace Rewind.Core.Tests.Runbooks;

public sealed class PlanTemplateTests
{
    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal) { ["DEPLOY_TOKEN"] = "s3cr3t" };

    [Theory]
    [InlineData("{{target.version}}", false, null)]
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
