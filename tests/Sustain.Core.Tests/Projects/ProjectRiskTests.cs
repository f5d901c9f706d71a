using CsCheck;
using Sustain.Core.Projects;

namespace Sustain.Core.Tests.Projects;

public class ProjectRiskTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ProjectHealth Healthy = new()
    {
        Archived = false,
        Maintainers = 6,
        LatestReleaseAt = Now.AddDays(-40),
        LastPushAt = Now.AddDays(-2),
        FundingChannels = 2,
        Dependents = 120,
    };

    [Fact]
    public void A_healthy_project_scores_zero_with_no_reasons()
    {
        var risk = ProjectRisk.Assess(Healthy, Now);

        Assert.Equal(0, risk.Score);
        Assert.Empty(risk.Reasons);
        Assert.Empty(risk.Unknown);
    }

    [Fact]
    public void An_archived_project_says_fixes_will_not_come()
    {
        var risk = ProjectRisk.Assess(Healthy with { Archived = true }, Now);

        var reason = Assert.Single(risk.Reasons);
        Assert.Equal(RiskKind.Archived, reason.Kind);
        Assert.Contains("archived", reason.Text, StringComparison.Ordinal);
        Assert.Equal(ProjectRisk.ArchivedPoints, risk.Score);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(0, true)]
    [InlineData(2, false)]
    public void One_or_no_recent_maintainer_is_a_single_maintainer_risk(int maintainers, bool risky)
    {
        var risk = ProjectRisk.Assess(Healthy with { Maintainers = maintainers }, Now);

        Assert.Equal(risky, risk.Has(RiskKind.SingleMaintainer));
    }

    [Fact]
    public void A_release_older_than_two_years_is_named_with_its_age()
    {
        var risk = ProjectRisk.Assess(Healthy with { LatestReleaseAt = Now.AddDays(-365 * 3) }, Now);

        var reason = Assert.Single(risk.Reasons);
        Assert.Equal(RiskKind.NoRecentRelease, reason.Kind);
        Assert.Contains("3 years old", reason.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_that_pushes_but_never_released_has_no_recent_release()
    {
        var risk = ProjectRisk.Assess(Healthy with { LatestReleaseAt = null }, Now);

        Assert.Contains(risk.Reasons, r => r.Kind == RiskKind.NoRecentRelease && r.Text.Contains("no release", StringComparison.Ordinal));
    }

    [Fact]
    public void No_funding_channel_is_a_risk_unless_a_company_owns_the_project()
    {
        Assert.True(ProjectRisk.Assess(Healthy with { FundingChannels = 0 }, Now).Has(RiskKind.NoFundingChannel));
        Assert.False(ProjectRisk.Assess(Healthy with { FundingChannels = 0, CompanyOwned = true }, Now).Has(RiskKind.NoFundingChannel));
    }

    [Fact]
    public void Many_dependents_make_a_project_widely_depended_on()
    {
        var risk = ProjectRisk.Assess(Healthy with { Dependents = 250_000 }, Now);

        var reason = Assert.Single(risk.Reasons);
        Assert.Equal(RiskKind.WidelyDependedOn, reason.Kind);
        Assert.Contains("250", reason.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_signals_add_nothing_and_are_listed_as_unknown()
    {
        var risk = ProjectRisk.Assess(new ProjectHealth(), Now);

        Assert.Equal(0, risk.Score);
        Assert.Empty(risk.Reasons);
        Assert.Equal(4, risk.Unknown.Count);
    }

    [Fact]
    public void Every_risk_together_caps_at_one_hundred()
    {
        var risk = ProjectRisk.Assess(new ProjectHealth { Archived = true, Maintainers = 1, LatestReleaseAt = Now.AddYears(-5), FundingChannels = 0, Dependents = 5_000 }, Now);

        Assert.Equal(5, risk.Reasons.Count);
        Assert.Equal(100, risk.Score);
    }

    [Fact]
    public void The_score_is_the_sum_of_the_reasons_points_and_stays_between_0_and_100()
    {
        var health = Gen.Select(Gen.Int[-1, 1], Gen.Int[-1, 5], Gen.Int[-1, 4000], Gen.Int[-1, 3], Gen.Long[-1, 10_000], Gen.Bool)
            .Select((archived, maintainers, days, funding, dependents, company) => new ProjectHealth
            {
                Archived = archived < 0 ? null : archived == 1,
                Maintainers = maintainers < 0 ? null : maintainers,
                LatestReleaseAt = days < 0 ? null : Now.AddDays(-days),
                FundingChannels = funding < 0 ? null : funding,
                Dependents = dependents < 0 ? null : dependents,
                CompanyOwned = company,
            });
        health.Sample(h =>
        {
            var risk = ProjectRisk.Assess(h, Now);
            return risk.Score == Math.Min(100, risk.Reasons.Sum(r => r.Points)) && risk.Score is >= 0 and <= 100 && risk.Reasons.All(r => r.Text.Length > 0);
        });
    }
}
