using System.Globalization;
using System.Text;

namespace Sustain.Web.Leaderboards;

/// <summary>A named organisation's row of the open data; amounts are minor units of <see cref="CompaniesData.Currency"/>.</summary>
public sealed record CompanyRow(
    int Rank, string Slug, string Name, long GivenMinor, int Developers, long? GivenPerDeveloperMinor, double? ShareOfBenchmark,
    int ProjectsReliedOn, int ReliedOnProjectsFunded, double? ShareOfReliedOnFunded, int ProjectsSupported, int MaintainersSupported);

/// <summary>The organisations that gave without opting in: only how many, and how much together.</summary>
public sealed record OtherOrganisations(int Count, long GivenMinor);

public sealed record CompaniesData(
    DateTimeOffset From, DateTimeOffset To, string Currency, long? BenchmarkPerDeveloperMinor,
    IReadOnlyList<CompanyRow> Companies, OtherOrganisations OtherOrganisations);

public sealed record ProjectRow(int Rank, string Key, long FundingMinor, int Funders, int RelyingOrganisations, long? Dependents, int Maintainers);

public sealed record ProjectsData(
    DateTimeOffset From, DateTimeOffset To, string Currency, IReadOnlyList<ProjectRow> MostFunded, IReadOnlyList<ProjectRow> CriticalUnfunded);

/// <summary>The leaderboards as open data, JSON and CSV: the same rows the pages show, more of them.</summary>
public static class OpenData
{
    public static CompaniesData Companies(Leaderboard board, int limit) => new(
        board.From, board.To, board.Currency.Code, board.BenchmarkPerDeveloper?.Minor,
        board.Companies.Take(limit).Select(c => new CompanyRow(
            c.Rank, c.Slug, c.Name, c.Given.Minor, c.Developers, c.GivenPerDeveloper?.Minor, Round(c.ShareOfBenchmark),
            c.ProjectsReliedOn, c.ReliedOnProjectsFunded, Round(c.ShareOfReliedOnFunded), c.ProjectsSupported, c.MaintainersSupported)).ToList(),
        new OtherOrganisations(board.Others.Organisations, board.Others.Given.Minor));

    public static ProjectsData Projects(Leaderboard board, int limit) => new(
        board.From, board.To, board.Currency.Code,
        board.MostFunded.Take(limit).Select(Row).ToList(),
        board.CriticalUnfunded.Take(limit).Select(Row).ToList());

    /// <summary>One row per named organisation, then one for the others together (no slug, no rank).</summary>
    public static string CompaniesCsv(CompaniesData data)
    {
        var csv = new StringBuilder();
        csv.Append("rank,slug,name,currency,given_minor,developers,given_per_developer_minor,share_of_benchmark,projects_relied_on,relied_on_projects_funded,share_of_relied_on_funded,projects_supported,maintainers_supported\r\n");
        foreach (var c in data.Companies)
        {
            Append(csv, c.Rank, c.Slug, c.Name, data.Currency, c.GivenMinor, c.Developers, c.GivenPerDeveloperMinor, c.ShareOfBenchmark,
                c.ProjectsReliedOn, c.ReliedOnProjectsFunded, c.ShareOfReliedOnFunded, c.ProjectsSupported, c.MaintainersSupported);
        }

        Append(csv, null, null, $"{data.OtherOrganisations.Count} other organisations", data.Currency, data.OtherOrganisations.GivenMinor,
            null, null, null, null, null, null, null, null);
        return csv.ToString();
    }

    /// <summary>Both lists in one table, told apart by the <c>list</c> column.</summary>
    public static string ProjectsCsv(ProjectsData data)
    {
        var csv = new StringBuilder();
        csv.Append("list,rank,key,currency,funding_minor,funders,relying_organisations,dependents,maintainers\r\n");
        foreach (var (list, rows) in new[] { ("most-funded", data.MostFunded), ("critical-unfunded", data.CriticalUnfunded) })
        {
            foreach (var p in rows)
                Append(csv, list, p.Rank, p.Key, data.Currency, p.FundingMinor, p.Funders, p.RelyingOrganisations, p.Dependents, p.Maintainers);
        }

        return csv.ToString();
    }

    private static ProjectRow Row(ProjectStanding p) => new(p.Rank, p.Key, p.Funding.Minor, p.Funders, p.RelyingOrganisations, p.Dependents, p.Maintainers);

    private static double? Round(double? share) => share is { } s ? Math.Round(s, 4) : null;

    private static void Append(StringBuilder csv, params object?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
                csv.Append(',');
            csv.Append(Field(fields[i]));
        }

        csv.Append("\r\n");
    }

    private static string Field(object? value)
    {
        var text = value switch
        {
            null => "",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        // A leading =, +, - or @ would be a formula to a spreadsheet; names are free text.
        if (value is string && text.Length > 0 && "=+-@".Contains(text[0], StringComparison.Ordinal))
            text = "'" + text;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
