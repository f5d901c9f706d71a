using Sustain.Core;
using Sustain.Web.Allocations;

namespace Sustain.Web.Tests.Allocations;

/// <summary>The policy form: what a person types becomes stored settings, or a message that says what is wrong and where.</summary>
public sealed class PolicyFormTests
{
    [Fact]
    public void A_valid_form_round_trips_through_the_stored_settings()
    {
        var form = new PolicyForm
        {
            Currency = "EUR",
            Budget = "120,000.50",
            Alpha = 0.25,
            ProductWeights = [new ProductWeightRow { Slug = "web", Name = "Web", Weight = 2 }, new ProductWeightRow { Slug = "api", Name = "API", Weight = 1 }],
            ExcludeOwnProjects = false,
            ExcludeList = "https://github.com/Acme/Internal.git\n\ngithub.com/acme/internal\n",
            Pins = [new PinRow { Project = "github.com/curl/curl", Kind = PinKind.Percent, Value = "12.5" }, new PinRow { Project = "github.com/openssl/openssl", Kind = PinKind.Amount, Value = "500" }],
            Criticality = true,
            MinimumKind = LimitKind.Amount,
            MinimumValue = "25.00",
            MaximumKind = LimitKind.Percent,
            MaximumValue = "20",
            EngineeringSharePercent = 2.5,
            HoursPerDeveloperYear = 1600,
        };

        var (policy, errors) = form.Validate();

        Assert.Empty(errors);
        Assert.NotNull(policy);
        Assert.Equal(new Money(12_000_050, Currency.EUR), policy.Budget);
        Assert.Equal(["github.com/acme/internal"], policy.Settings.ExcludeList);
        Assert.Equal(new Dictionary<string, double> { ["web"] = 2 }, policy.Settings.ProductWeights);
        Assert.Equal([new PinSetting("github.com/curl/curl", 1250, null), new PinSetting("github.com/openssl/openssl", null, 50_000)], policy.Settings.Pins);
        Assert.Equal(new LimitSetting(null, 2500), policy.Settings.Minimum);
        Assert.Equal(new LimitSetting(2000, null), policy.Settings.Maximum);

        var again = PolicyForm.Of(policy, [("api", "API"), ("web", "Web")]).Validate().Policy!;
        Assert.Equal(policy.Budget, again.Budget);
        Assert.Equal(policy.Settings.ToJson(), again.Settings.ToJson());
        Assert.Equal(policy.Settings.ToJson(), PolicySettings.FromJson(policy.Settings.ToJson()).ToJson());
    }

    [Fact]
    public void A_yen_budget_with_decimals_is_refused_because_yen_have_no_minor_unit()
    {
        var (policy, errors) = new PolicyForm { Currency = "JPY", Budget = "1000.5" }.Validate();

        Assert.Null(policy);
        Assert.Equal("Budget: '1000.5' has decimals, but JPY has no minor unit.", errors[nameof(PolicyForm.Budget)]);
        Assert.Equal(new Money(1000, Currency.JPY), new PolicyForm { Currency = "JPY", Budget = "1000" }.Validate().Policy!.Budget);
    }

    [Theory]
    [InlineData("XYZ", "'XYZ' is not an ISO 4217 currency code")]
    [InlineData("", "is not an ISO 4217 currency code")]
    public void An_unknown_currency_is_refused(string currency, string message) =>
        Assert.Contains(message, new PolicyForm { Currency = currency }.Validate().Errors[nameof(PolicyForm.Currency)], StringComparison.Ordinal);

    [Fact]
    public void An_empty_budget_is_allowed_and_a_zero_budget_is_not()
    {
        Assert.Null(new PolicyForm { Budget = " " }.Validate().Policy!.Budget);
        Assert.Contains("above zero", new PolicyForm { Budget = "0" }.Validate().Errors[nameof(PolicyForm.Budget)], StringComparison.Ordinal);
    }

    [Fact]
    public void The_exclude_list_names_the_line_that_is_not_a_repository()
    {
        var errors = new PolicyForm { ExcludeList = "github.com/a/b\n\nnot a url at all" }.Validate().Errors;

        Assert.StartsWith("Exclude list, line 3:", errors[nameof(PolicyForm.ExcludeList)], StringComparison.Ordinal);
    }

    [Fact]
    public void Pins_that_add_up_to_more_than_the_whole_budget_are_refused()
    {
        var form = new PolicyForm { Pins = [new PinRow { Project = "github.com/a/one", Value = "60" }, new PinRow { Project = "github.com/a/two", Value = "45.5" }] };

        Assert.Equal("The pins add up to 105.5% of the budget; together they can take at most 100%.", form.Validate().Errors[nameof(PolicyForm.Pins)]);
    }

    [Theory]
    [InlineData("12.345", "more than two decimals")]
    [InlineData("150", "more than the whole budget")]
    [InlineData("ten", "is not a percentage")]
    [InlineData("", "give a percentage")]
    public void A_pin_percentage_must_be_a_share_of_the_budget_to_the_hundredth(string value, string message)
    {
        var errors = new PolicyForm { Pins = [new PinRow { Project = "github.com/a/b" }, new PinRow { Project = "github.com/a/c", Value = value }] }.Validate().Errors;

        Assert.StartsWith("Pin 2:", errors["Pins.1"], StringComparison.Ordinal);
        Assert.Contains(message, errors["Pins.1"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_is_pinned_once_and_never_both_pinned_and_excluded()
    {
        var errors = new PolicyForm
        {
            ExcludeList = "github.com/a/excluded",
            Pins = [new PinRow { Project = "github.com/a/b", Value = "1" }, new PinRow { Project = "https://github.com/A/B", Value = "2" }, new PinRow { Project = "github.com/a/excluded", Value = "1" }],
        }.Validate().Errors;

        Assert.Equal("Pin 2: github.com/a/b is pinned twice; keep one pin per project.", errors["Pins.1"]);
        Assert.StartsWith("Pin 3: github.com/a/excluded is also on the exclude list", errors["Pins.2"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_minimum_above_the_maximum_is_refused_when_they_can_be_compared()
    {
        var percent = new PolicyForm { MinimumKind = LimitKind.Percent, MinimumValue = "10", MaximumKind = LimitKind.Percent, MaximumValue = "5" }.Validate().Errors;
        var mixed = new PolicyForm { Budget = "1000", MinimumKind = LimitKind.Amount, MinimumValue = "200", MaximumKind = LimitKind.Percent, MaximumValue = "10" }.Validate().Errors;
        var fits = new PolicyForm { Budget = "1000", MinimumKind = LimitKind.Amount, MinimumValue = "50", MaximumKind = LimitKind.Percent, MaximumValue = "10" }.Validate().Errors;

        Assert.Contains("above the maximum", percent[nameof(PolicyForm.MinimumValue)], StringComparison.Ordinal);
        Assert.Contains("above the maximum", mixed[nameof(PolicyForm.MinimumValue)], StringComparison.Ordinal);
        Assert.Empty(fits);
    }

    [Fact]
    public void Weights_alpha_and_engineering_settings_stay_in_range()
    {
        var errors = new PolicyForm
        {
            Alpha = 1.5,
            ProductWeights = [new ProductWeightRow { Slug = "web", Name = "Web", Weight = -1 }],
            EngineeringSharePercent = 101,
            HoursPerDeveloperYear = 0,
            HoursPerMergedPullRequest = 0,
        }.Validate().Errors;

        Assert.Contains("between 0 and 1", errors[nameof(PolicyForm.Alpha)], StringComparison.Ordinal);
        Assert.Equal("Web: a weight is a number from 0 to 1,000.", errors["ProductWeights.web"]);
        Assert.Contains("0 to 100", errors[nameof(PolicyForm.EngineeringSharePercent)], StringComparison.Ordinal);
        Assert.Contains("1 to 8,784", errors[nameof(PolicyForm.HoursPerDeveloperYear)], StringComparison.Ordinal);
        Assert.Contains("1 to 1,000", errors[nameof(PolicyForm.HoursPerMergedPullRequest)], StringComparison.Ordinal);
        Assert.Equal("At least one product needs a weight above zero, or nothing can be funded.",
            new PolicyForm { ProductWeights = [new ProductWeightRow { Slug = "web", Name = "Web", Weight = 0 }] }.Validate().Errors[nameof(PolicyForm.ProductWeights)]);
    }

    [Fact]
    public void Stored_settings_that_cannot_be_read_fall_back_to_the_defaults()
    {
        Assert.Same(PolicySettings.Default, PolicySettings.FromJson("{not json"));
        Assert.Same(PolicySettings.Default, PolicySettings.FromJson(null));
    }

    [Fact]
    public void The_suggested_budget_is_two_thousand_dollars_per_developer()
    {
        Assert.Equal(new Money(240_000_00, Currency.USD), SuggestedBudget.For(120));
        Assert.Equal(Money.Zero(Currency.USD), SuggestedBudget.For(0));
    }
}
