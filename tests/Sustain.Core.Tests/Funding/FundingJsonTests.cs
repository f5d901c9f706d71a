using System.Text;
using CsCheck;
using Sustain.Core.Funding;

namespace Sustain.Core.Tests.Funding;

public class FundingJsonTests
{
    private const string Complete = """
        {
          "$schema": "https://fundingjson.org/schema/v1.1.0.json",
          "version": "v1.1.0",
          "entity": {
            "type": "individual", "role": "maintainer", "name": "Ada", "email": "ada@example.com", "phone": "",
            "description": "Writes parsers.", "webpageUrl": { "url": "https://example.com", "wellKnown": "" }
          },
          "projects": [{
            "guid": "parsy", "name": "Parsy", "description": "A parser.",
            "webpageUrl": { "url": "https://example.com/parsy" },
            "repositoryUrl": { "url": "https://github.com/ada/parsy", "wellKnown": "https://github.com/ada/parsy/blob/main/.well-known/funding-manifest-urls" },
            "licenses": ["spdx:MIT"], "tags": ["parser", "developer-tools"]
          }],
          "funding": {
            "channels": [
              { "guid": "bank", "type": "bank", "address": "", "description": "Ask for details." },
              { "guid": "gh", "type": "payment-provider", "address": "https://github.com/sponsors/ada" }
            ],
            "plans": [
              { "guid": "hosting", "status": "active", "name": "Hosting", "amount": 19.99, "currency": "USD", "frequency": "monthly", "channels": ["gh"] },
              { "guid": "any", "status": "inactive", "name": "Anything", "description": "Any amount.", "amount": 0, "currency": "EUR", "frequency": "one-time", "channels": ["bank", "gh"] }
            ],
            "history": [ { "year": 2024, "income": 1200.5, "expenses": 300, "taxes": 0, "currency": "USD", "description": "First year." } ]
          }
        }
        """;

    private static FundingJson Manifest(string json) =>
        Assert.IsType<FundingJsonResult.Manifest>(FundingJson.Parse(json)).Json;

    private static FundingPlan PlanOf(string amount, string currency) =>
        Assert.Single(Manifest(Template.Replace("AMOUNT", amount, StringComparison.Ordinal).Replace("CURRENCY", currency, StringComparison.Ordinal)).Plans);

    private const string Template = """
        {"version": "v1.0.0", "entity": {"type": "individual", "role": "owner", "name": "A", "email": "a@b.c", "description": "d", "webpageUrl": {"url": "https://a.example"}},
         "funding": {"channels": [{"guid": "c", "type": "other"}],
                     "plans": [{"guid": "p", "status": "active", "name": "P", "amount": AMOUNT, "currency": "CURRENCY", "frequency": "yearly", "channels": ["c"]}]}}
        """;

    [Fact]
    public void Reads_every_part_of_a_manifest()
    {
        var json = Manifest(Complete);

        Assert.Equal("v1.1.0", json.Version);
        Assert.Equal("https://fundingjson.org/schema/v1.1.0.json", json.Schema);
        Assert.Equal(
            new FundingEntity(EntityType.Individual, EntityRole.Maintainer, "Ada", "ada@example.com", null, "Writes parsers.", new ManifestUrl("https://example.com", null)),
            json.Entity);
        var project = Assert.Single(json.Projects);
        Assert.Equal(("parsy", "Parsy", "A parser."), (project.Guid, project.Name, project.Description));
        Assert.Equal(new ManifestUrl("https://github.com/ada/parsy", "https://github.com/ada/parsy/blob/main/.well-known/funding-manifest-urls"), project.RepositoryUrl);
        Assert.Equal(["spdx:MIT"], project.Licenses);
        Assert.Equal(["parser", "developer-tools"], project.Tags);
        Assert.Equal(
            [new PaymentChannel("bank", PaymentChannelType.Bank, null, "Ask for details."), new PaymentChannel("gh", PaymentChannelType.PaymentProvider, "https://github.com/sponsors/ada", null)],
            json.Channels);
        Assert.Equal(2, json.Plans.Count);
        Assert.Equal(("hosting", PlanStatus.Active, PlanFrequency.Monthly, new Money(1999, Currency.USD), false), (json.Plans[0].Guid, json.Plans[0].Status, json.Plans[0].Frequency, json.Plans[0].Amount, json.Plans[0].IsAnyAmount));
        Assert.Equal(["gh"], json.Plans[0].Channels);
        Assert.Equal((PlanStatus.Inactive, PlanFrequency.OneTime, new Money(0, Currency.EUR), true, "Any amount."), (json.Plans[1].Status, json.Plans[1].Frequency, json.Plans[1].Amount, json.Plans[1].IsAnyAmount, json.Plans[1].Description));
        var year = Assert.Single(json.History);
        Assert.Equal(new FundingHistoryYear(2024, new Money(120050, Currency.USD), new Money(30000, Currency.USD), new Money(0, Currency.USD), "USD", "First year."), year);
        Assert.Empty(json.Warnings);
    }

    [Theory]
    [InlineData("250", "USD", 25_000)]
    [InlineData("19.99", "USD", 1_999)]
    [InlineData("250.00", "USD", 25_000)]
    [InlineData("1e3", "USD", 100_000)]
    [InlineData("1.5E+3", "EUR", 150_000)]
    [InlineData("25e-1", "USD", 250)]
    [InlineData("5000", "JPY", 5_000)]
    [InlineData("5000.0", "JPY", 5_000)]
    [InlineData("1.125", "KWD", 1_125)]
    [InlineData("0.1", "USD", 10)]
    [InlineData("92233720368547758.07", "USD", long.MaxValue)]
    public void Converts_a_plan_amount_exactly_into_minor_units_of_its_currency(string amount, string currency, long minor)
    {
        var plan = PlanOf(amount, currency);

        Assert.Equal(new Money(minor, Currency.Find(currency)), plan.Amount);
        Assert.False(plan.IsAnyAmount);
    }

    [Theory]
    [InlineData("0.001", "USD", "has 3 decimal places, but USD has 2")]
    [InlineData("1.5", "JPY", "JPY has no minor unit")]
    [InlineData("-5", "USD", "is negative")]
    [InlineData("1e30", "USD", "too large")]
    [InlineData("19.999999999999999999999999999999", "USD", "decimal places")]
    [InlineData("1e999", "USD", "not a number Sustain can read exactly")]
    public void Keeps_a_plan_whose_amount_does_not_fit_its_currency_without_an_amount(string amount, string currency, string why)
    {
        var json = Manifest(Template.Replace("AMOUNT", amount, StringComparison.Ordinal).Replace("CURRENCY", currency, StringComparison.Ordinal));

        Assert.Null(Assert.Single(json.Plans).Amount);
        var warning = Assert.Single(json.Warnings);
        Assert.Equal("$.funding.plans[0].amount", warning.Location);
        Assert.Contains(why, warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("XYZ", "'XYZ' is not an ISO 4217 currency Sustain knows")]
    [InlineData("", "no currency is given")]
    public void Keeps_a_plan_in_an_unknown_currency_with_a_warning(string currency, string why)
    {
        var json = Manifest(Template.Replace("AMOUNT", "100", StringComparison.Ordinal).Replace("CURRENCY", currency, StringComparison.Ordinal));

        var plan = Assert.Single(json.Plans);
        Assert.Equal(("p", null, currency), (plan.Guid, plan.Amount, plan.Currency));
        Assert.Contains(why, Assert.Single(json.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Knows_amount_zero_is_the_any_amount_wildcard_even_in_an_unknown_currency()
    {
        Assert.True(PlanOf("0", "XYZ").IsAnyAmount);
        Assert.True(PlanOf("0.00", "USD").IsAnyAmount);
    }

    [Fact]
    public void Reads_a_lower_case_currency_code_with_a_warning()
    {
        var json = Manifest(Template.Replace("AMOUNT", "10", StringComparison.Ordinal).Replace("CURRENCY", "usd", StringComparison.Ordinal));

        Assert.Equal(new Money(1000, Currency.USD), Assert.Single(json.Plans).Amount);
        Assert.Contains("read as USD", Assert.Single(json.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_an_amount_written_as_a_string_with_a_warning()
    {
        var json = Manifest(Template.Replace("AMOUNT", "\"12.50\"", StringComparison.Ordinal).Replace("CURRENCY", "GBP", StringComparison.Ordinal));

        Assert.Equal(new Money(1250, Currency.GBP), Assert.Single(json.Plans).Amount);
        Assert.Contains("the schema wants a number", Assert.Single(json.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_JSON_with_comments_and_trailing_commas_with_a_warning()
    {
        var json = Manifest("""
            {
                // Required.
                "version": "v1.0.0",
                "entity": {"type": "group", "role": "steward", "name": "G", "email": "g@example.com", "description": "d", "webpageUrl": {"url": "https://g.example"},},
                /* the money */
                "funding": {"channels": [], "plans": [],},
            }
            """);

        Assert.Equal("G", json.Entity!.Name);
        var warning = Assert.Single(json.Warnings);
        Assert.Equal("line 2, column 5", warning.Location);
        Assert.Contains("comments or trailing commas", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_US_spellings_and_other_cases_of_the_schemas_words_with_warnings()
    {
        var json = Manifest("""
            {"version": "v1.0.0",
             "entity": {"type": "organization", "role": "Owner", "name": "O", "email": "o@example.com", "description": "d", "webpageUrl": {"url": "https://o.example"}},
             "funding": {"channels": [{"guid": "c", "type": "check"}],
                         "plans": [{"guid": "p", "status": "ACTIVE", "name": "P", "amount": 1, "currency": "USD", "frequency": "annually", "channels": ["c"]}]}}
            """);

        Assert.Equal((EntityType.Organisation, EntityRole.Owner), (json.Entity!.Type, json.Entity.Role));
        Assert.Equal(PaymentChannelType.Cheque, json.Channels[0].Type);
        Assert.Equal((PlanStatus.Active, PlanFrequency.Yearly), (json.Plans[0].Status, json.Plans[0].Frequency));
        Assert.Equal(["$.entity.type", "$.entity.role", "$.funding.channels[0].type", "$.funding.plans[0].status", "$.funding.plans[0].frequency"], json.Warnings.Select(w => w.Location));
        Assert.Contains("type 'organization' is read as 'organisation'", json.Warnings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_an_unknown_enum_word_as_other_with_a_warning()
    {
        var json = Manifest("""
            {"entity": {"type": "", "role": "benefactor", "name": "", "email": "", "description": "", "webpageUrl": {"url": ""}},
             "funding": {"channels": [{"guid": "c", "type": "crypto"}], "plans": []}}
            """);

        Assert.Equal((EntityType.Other, EntityRole.Other, PaymentChannelType.Other), (json.Entity!.Type, json.Entity.Role, json.Channels[0].Type));
        Assert.Equal(3, json.Warnings.Count);
        Assert.Contains("not one of bank, payment-provider, cheque, cash, other", json.Warnings[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warns_about_licences_without_spdx_upper_case_tags_and_guids_with_slashes()
    {
        var json = Manifest("""
            {"version": "v1.0.0",
             "entity": {"type": "individual", "role": "owner", "name": "A", "email": "a@b.c", "description": "d", "webpageUrl": {"url": "https://a.example"}},
             "projects": [{"guid": "owner/repo", "name": "R", "description": "d", "webpageUrl": {"url": "https://r.example"}, "repositoryUrl": {"url": "https://github.com/owner/repo"},
                           "licenses": ["AGPL-3.0 license", "spdx:MIT"], "tags": ["ODK", "maps", "open data"]}],
             "funding": {"channels": [], "plans": []}}
            """);

        var project = Assert.Single(json.Projects);
        Assert.Equal("owner/repo", project.Guid);
        Assert.Equal(["AGPL-3.0 license", "spdx:MIT"], project.Licenses);
        Assert.Equal(["odk", "maps", "open data"], project.Tags);
        Assert.Equal(["$.projects[0].guid", "$.projects[0].licenses[0]", "$.projects[0].tags[0]", "$.projects[0].tags[2]"], json.Warnings.Select(w => w.Location));
    }

    [Fact]
    public void Warns_when_a_plan_names_a_channel_that_is_not_defined_or_a_guid_repeats()
    {
        var json = Manifest("""
            {"version": "v1.1.0",
             "entity": {"type": "individual", "role": "owner", "name": "A", "email": "a@b.c", "description": "d", "webpageUrl": {"url": "https://a.example"}},
             "funding": {"channels": [{"guid": "c", "type": "cash"}, {"guid": "c", "type": "bank"}],
                         "plans": [{"guid": "p", "status": "active", "name": "P", "amount": 5, "currency": "USD", "frequency": "weekly", "channels": ["c", "paypal"]}]}}
            """);

        Assert.Equal(2, json.Channels.Count);
        Assert.Equal(
            ["$.funding.channels: channel guid 'c' is used 2 times", "$.funding.plans[0].channels: plan 'p' names channel 'paypal', which funding.channels does not define"],
            json.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Reads_a_manifest_without_entity_and_says_so()
    {
        var json = Manifest("""{"version": "v1.1.0", "funding": {"channels": [{"guid": "c", "type": "other", "address": "https://example.com/pay"}], "plans": []}}""");

        Assert.Null(json.Entity);
        Assert.Single(json.Channels);
        Assert.Equal("$.entity: entity is missing", Assert.Single(json.Warnings).ToString());
    }

    [Fact]
    public void Reads_a_version_it_does_not_know_when_the_manifest_has_an_entity()
    {
        var json = Manifest("""{"version": "v2.0.0", "entity": {"type": "individual", "role": "owner", "name": "A", "email": "a@b.c", "description": "d", "webpageUrl": {"url": "https://a.example"}}, "funding": {"channels": [], "plans": []}}""");

        Assert.Equal("v2.0.0", json.Version);
        Assert.Contains("not one Sustain knows", Assert.Single(json.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ignores_wrong_types_with_warnings_instead_of_failing()
    {
        var json = Manifest("""
            {"version": "v1.0.0", "entity": {"type": 3, "role": "owner", "name": ["A"], "email": "a@b.c", "description": "d", "webpageUrl": "https://a.example"},
             "projects": {"guid": "x"},
             "funding": {"channels": [1, {"guid": "c", "type": "bank"}], "plans": "none", "history": [{"year": "2024", "currency": "USD", "income": true}]}}
            """);

        Assert.Equal("", json.Entity!.Name);
        Assert.Null(json.Entity.WebpageUrl);
        Assert.Empty(json.Projects);
        Assert.Equal("c", Assert.Single(json.Channels).Guid);
        Assert.Empty(json.Plans);
        Assert.Equal(0, Assert.Single(json.History).Year);
        Assert.Equal(
            ["$.entity.type", "$.entity.name", "$.entity.webpageUrl", "$.projects", "$.funding.channels[0]", "$.funding.plans",
             "$.funding.history[0].year", "$.funding.history[0].income"],
            json.Warnings.Select(w => w.Location));
    }

    [Fact]
    public void Reads_a_byte_order_mark_and_a_leading_blank_line()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("\n\t" + Complete)).ToArray();

        var result = FundingJson.Parse(bytes);

        Assert.Equal("Ada", Assert.IsType<FundingJsonResult.Manifest>(result).Json.Entity!.Name);
    }

    [Theory]
    [InlineData("""{"opRetro": {"projectId": "0xb6"}}""", "Optimism RetroPGF")]
    [InlineData("""{}""", "an empty object")]
    [InlineData("""{"name": "x", "version": "1.0.0"}""", "its keys are name, version")]
    [InlineData("""[{"entity": {}}]""", "the document is a list")]
    [InlineData("\"funding\"", "the document is a string")]
    public void Recognises_a_funding_json_in_another_format_as_not_a_manifest(string json, string reason)
    {
        var result = FundingJson.Parse(json);

        Assert.Contains(reason, Assert.IsType<FundingJsonResult.NotAManifest>(result).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"version\": \"v1.0.0\",\n  \"entity\": }", "line 2, column 13")]
    [InlineData("{\"version\": \"v1.0.0\"", "line 1, column 21")]
    [InlineData("", "line 1, column 1")]
    public void Refuses_text_that_is_not_JSON_saying_where(string json, string location)
    {
        var refused = Assert.Throws<FundingFormatException>(() => FundingJson.Parse(json));

        Assert.Equal(location, refused.Location);
        Assert.StartsWith("not valid JSON: ", refused.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", refused.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_file_larger_than_the_cap_unread()
    {
        var huge = "{\"x\": \"" + new string('a', FundingJson.MaxBytes) + "\"}";

        var refused = Assert.Throws<FundingFormatException>(() => FundingJson.Parse(huge));

        Assert.Contains("at most 262,144", refused.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.5e3", "1500")]
    [InlineData("250.00", "250")]
    [InlineData("-0.50", "-0.5")]
    [InlineData("-0", "0")]
    [InlineData("0.0e5", "0")]
    [InlineData("12e-4", "0.0012")]
    [InlineData("007", null)]
    [InlineData("1.", null)]
    [InlineData("1e65", null)]
    public void Writes_a_JSON_number_as_a_plain_decimal_without_rounding(string number, string? plain)
    {
        Assert.Equal(plain, FundingJsonReader.Plain(number));
    }

    [Fact]
    public void Throws_nothing_but_a_format_error_on_any_text()
    {
        var pieces = Gen.OneOf(
            Gen.Const("{"), Gen.Const("}"), Gen.Const("["), Gen.Const("]"), Gen.Const(","), Gen.Const(":"), Gen.Const("\"version\""), Gen.Const("\"v1.0.0\""),
            Gen.Const("\"entity\""), Gen.Const("\"funding\""), Gen.Const("\"plans\""), Gen.Const("\"channels\""), Gen.Const("\"amount\""), Gen.Const("\"currency\""),
            Gen.Const("\"USD\""), Gen.Const("\"year\""), Gen.Const("// c\n"), Gen.Const("null"), Gen.Const("1e400"), Gen.Const("-3.5"),
            Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Gen.String[Gen.Char.AlphaNumeric, 0, 5].Select(s => $"\"{s}\""));
        var valid = Template.Replace("AMOUNT", "5", StringComparison.Ordinal).Replace("CURRENCY", "USD", StringComparison.Ordinal);
        var values = System.Text.RegularExpressions.Regex.Matches(valid, """(?<=: )("[^"]*"|\[[^\[\]]*\]|\{[^{}]*\}|[0-9]+)""");
        string[] replacements = ["1", "-2.5", "[]", "{}", "null", "true", "\"x\"", "[1, {}]", "{\"a\": []}", "\"\"", "1e999"];
        var anyValue = Gen.Int[0, replacements.Length - 1].Select(i => replacements[i]);
        var mutated = Gen.Select(Gen.Int[0, values.Count - 1], anyValue, (i, value) => valid[..values[i].Index] + value + valid[(values[i].Index + values[i].Length)..]);
        var documents = Gen.OneOf(
            pieces.Array[0, 40].Select(p => string.Concat(p)),
            mutated,
            Gen.Int[0, valid.Length].Select(n => valid[..n]));
        documents.Sample(text =>
        {
            try
            {
                FundingJson.Parse(text);
            }
            catch (FundingFormatException)
            {
            }
        }, iter: 20_000);
    }
}
