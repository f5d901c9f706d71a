using Sustain.Core.Funding;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Sustain.Core;
using Sustain.Data;

using Sustain.Web.Projects;

namespace Sustain.Web.Allocations;

/// <summary>A GitHub account to sponsor for a project, and where Sustain learned it.</summary>
public sealed record SponsorableAccount(string Login);

/// <summary>
/// The CSV files a snapshot exports: the allocation itself, and the file GitHub Sponsors' bulk
/// sponsorship imports (columns "Maintainer username" and "Sponsorship amount in USD").
/// </summary>
public static partial class AllocationExports
{
    public const string UnallocatedRow = "(unallocated)";

    /// <summary>
    /// Every share with its amount in major units (as many decimals as the currency has), in minor
    /// units, its percent of the budget, status and reasons. Money that could not be allocated is a
    /// row of its own, so amount_minor always sums to the budget.
    /// </summary>
    public static string AllocationCsv(SnapshotView snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var csv = new StringBuilder();
        AppendRow(csv, "project", "amount", "amount_minor", "currency", "percent", "status", "reasons");
        var currency = snapshot.Budget.Currency.Code;
        foreach (var share in snapshot.Shares)
        {
            AppendRow(csv, share.ProjectKey, share.Amount.ToAmountString(), Invariant(share.Amount.Minor), currency,
                ShareRow.PercentText(share.Amount, snapshot.Budget), share.Status.ToString(), share.Reasons.Summary());
        }

        if (snapshot.Unallocated.Minor != 0)
        {
            AppendRow(csv, UnallocatedRow, snapshot.Unallocated.ToAmountString(), Invariant(snapshot.Unallocated.Minor), currency,
                ShareRow.PercentText(snapshot.Unallocated, snapshot.Budget), "Unallocated", snapshot.UnallocatedReason ?? "");
        }

        return csv.ToString();
    }

    /// <summary>
    /// One row per sponsorable account: the funded projects' accounts with their amounts summed, in
    /// whole US dollars (GitHub Sponsors takes whole dollars; the cents of each account's total are
    /// left out, and an account under one dollar is left out). Null when the snapshot is not in USD.
    /// </summary>
    public static string? SponsorsCsv(SnapshotView snapshot, IReadOnlyDictionary<string, SponsorableAccount> accounts)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(accounts);
        if (snapshot.Budget.Currency != Currency.USD)
            return null;
        var totals = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var share in snapshot.Shares.Where(s => s.Amount.Minor > 0))
        {
            if (accounts.TryGetValue(share.ProjectKey, out var account))
                totals[account.Login] = totals.GetValueOrDefault(account.Login) + share.Amount.Minor;
        }

        var csv = new StringBuilder();
        AppendRow(csv, "Maintainer username", "Sponsorship amount in USD");
        foreach (var (login, minor) in totals.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.OrdinalIgnoreCase))
        {
            var dollars = minor / Currency.USD.MinorPerMajor;
            if (dollars > 0)
                AppendRow(csv, login, Invariant(dollars));
        }

        return csv.ToString();
    }

    /// <summary>
    /// The GitHub Sponsors account of each project that declares one: a <c>github</c> entry of its
    /// FUNDING.yml (or a GitHub Sponsors channel in its funding.json), as project signals read them,
    /// else a <c>github.com/sponsors/LOGIN</c> funding link the package registry gave for one of the
    /// project's packages. A project that declares none is not in the file: its maintainers are not
    /// known to be sponsorable.
    /// </summary>
    public static async Task<Dictionary<string, SponsorableAccount>> SponsorableAccountsAsync(SustainDbContext db, Guid organisationId, IReadOnlyCollection<string> projectKeys, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(projectKeys);
        var accounts = new Dictionary<string, SponsorableAccount>(StringComparer.Ordinal);
        foreach (var chunk in projectKeys.Chunk(500))
        {
            var declared = await db.ProjectSignals.AsNoTracking()
                .Where(s => chunk.Contains(s.ProjectKey) && s.FundingChannelsJson != null)
                .Select(s => new { s.ProjectKey, s.FundingChannelsJson })
                .ToListAsync(cancellation);
            foreach (var signals in declared)
            {
                var sponsors = StoredFundingChannel.Parse(signals.FundingChannelsJson)
                    .FirstOrDefault(c => c.Platform == nameof(FundingPlatform.GitHubSponsors) && ValidLogin().IsMatch(c.Handle));
                if (sponsors is not null)
                    accounts[signals.ProjectKey] = new SponsorableAccount(sponsors.Handle);
            }

            var links = await db.PackageProjects.AsNoTracking()
                .Where(m => m.OrganisationId == organisationId && chunk.Contains(m.ProjectKey))
                .Join(db.Packages.AsNoTracking().Where(p => p.FundingLinks != null), m => m.PackageKey, p => p.Key, (m, p) => new { m.ProjectKey, p.FundingLinks })
                .ToListAsync(cancellation);
            foreach (var link in links.OrderBy(l => l.ProjectKey, StringComparer.Ordinal).ThenBy(l => l.FundingLinks, StringComparer.Ordinal))
            {
                if (!accounts.ContainsKey(link.ProjectKey) && SponsorsLogin(link.FundingLinks) is { } login)
                    accounts[link.ProjectKey] = new SponsorableAccount(login);
            }
        }

        return accounts;
    }

    /// <summary>The first <c>https://github.com/sponsors/LOGIN</c> among newline-separated funding links.</summary>
    public static string? SponsorsLogin(string? fundingLinks)
    {
        foreach (var line in (fundingLinks ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Uri.TryCreate(line, UriKind.Absolute, out var uri) && uri.Host.Equals("github.com", StringComparison.OrdinalIgnoreCase))
            {
                var segments = uri.AbsolutePath.Trim('/').Split('/');
                if (segments.Length >= 2 && segments[0].Equals("sponsors", StringComparison.OrdinalIgnoreCase) && ValidLogin().IsMatch(segments[1]))
                    return segments[1];
            }
        }

        return null;
    }

    private static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void AppendRow(StringBuilder csv, params string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
                csv.Append(',');
            csv.Append(Quote(fields[i]));
        }

        csv.Append("\r\n");
    }

    /// <summary>RFC 4180 quoting; a leading formula character is prefixed with an apostrophe so spreadsheets do not run it.</summary>
    private static string Quote(string field)
    {
        if (field.Length > 0 && field[0] is '=' or '+' or '-' or '@' && !long.TryParse(field, System.Globalization.CultureInfo.InvariantCulture, out _))
            field = "'" + field;
        return field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }

    /// <summary>GitHub logins: letters, digits and single hyphens, not at either end, at most 39 characters.</summary>
    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")]
    private static partial Regex ValidLogin();
}
