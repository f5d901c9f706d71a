using System.ComponentModel.DataAnnotations;
using Sustain.Core;

namespace Sustain.Web.Payouts;

/// <summary>The <c>Payouts</c> settings.</summary>
public sealed class PayoutOptions
{
    public const string Section = "Payouts";

    /// <summary>The smallest payable balance paid out, in whole units of its currency (10 = USD 10, EUR 10, JPY 10).</summary>
    [Range(1, 1_000_000)]
    public int MinimumAmount { get; set; } = 10;

    /// <summary>The day of the month the payout run starts (at <see cref="RunAtUtc"/>); the 31st means the month's last day.</summary>
    [Range(1, 31)]
    public int RunDay { get; set; } = 1;

    public TimeOnly RunAtUtc { get; set; } = new(6, 0);

    /// <summary>How often escrow that arrived for claimed projects is moved to their maintainers.</summary>
    public TimeSpan DistributeEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often payouts still open are matched with the transfers Stripe lists.</summary>
    public TimeSpan ReconcileEvery { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long money waits in escrow for a project with no maintainer (unclaimed, or every maintainer gone) before it is spread over the pledge's other projects that have maintainers.</summary>
    [Range(1, 120)]
    public int EscrowHoldMonths { get; set; } = 12;

    /// <summary>For the crash test only: a pause before each transfer, so a kill can land mid-run. Zero in production.</summary>
    public TimeSpan PauseBeforeTransfer { get; set; } = TimeSpan.Zero;

    public Money MinimumIn(Currency currency) => new(MinimumAmount * currency.MinorPerMajor, currency);
}
