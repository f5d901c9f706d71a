namespace Sustain.Core.Ledger;

/// <summary>
/// The ledger's account names. An account is a plain string, so a new kind needs no schema change;
/// these builders are the only place the names are spelled.
/// </summary>
public static class LedgerAccounts
{
    /// <summary>Stripe's fees: a cost, so its balance is positive (a debit).</summary>
    public const string StripeFees = "stripe:fees";

    /// <summary>
    /// The platform's own money. It pays the part of a refund or a dispute that Stripe kept as its fee,
    /// so its balance is zero or negative.
    /// </summary>
    public const string Platform = "platform";

    /// <summary>What every <see cref="PlatformAdvance"/> account starts with, for finding them all.</summary>
    public const string PlatformAdvancePrefix = "platform:advanced:";

    /// <summary>
    /// What the platform paid of a refund or lost dispute because the project's escrow no longer held it (its
    /// maintainers had already been given it): a credit, so zero or negative. The project's next money repays it
    /// before its maintainers are given anything more. Not a project account: it is the platform's money.
    /// </summary>
    public static string PlatformAdvance(string projectKey) => $"{PlatformAdvancePrefix}{projectKey}";

    /// <summary>The project of a platform advance account, or null for any other account.</summary>
    public static string? AdvancedProjectOf(string account) =>
        account.StartsWith(PlatformAdvancePrefix, StringComparison.Ordinal) && account.Length > PlatformAdvancePrefix.Length ? account[PlatformAdvancePrefix.Length..] : null;

    /// <summary>Payouts sent to Stripe and not yet confirmed: a debit, zero when every payout has settled or been reversed.</summary>
    public const string PayoutsInTransit = "payouts:in-transit";

    /// <summary>What has left the platform to maintainers' connected accounts: a debit that only grows.</summary>
    public const string PayoutsPaid = "payouts:paid";

    private const string OrganisationPrefix = "org:";
    private const string MaintainerPrefix = "maintainer:";
    private const string PayableSuffix = ":payable";
    private const string ClaimPrefix = "claim:";
    private const string HeldSuffix = ":held";
    private const string ClearingSuffix = ":payments-clearing";
    private const string ProjectPrefix = "project:";
    private const string EscrowSuffix = ":escrow";

    /// <summary>
    /// What an organisation has paid, less what was given back: a credit, so its balance is the
    /// negative of the organisation's net contribution.
    /// </summary>
    public static string PaymentsClearing(Guid organisationId) => $"{OrganisationPrefix}{organisationId:D}{ClearingSuffix}";

    /// <summary>Money held for a project until it is paid out: a debit balance that must never go negative.</summary>
    public static string ProjectEscrow(string projectKey) => $"{ProjectPrefix}{projectKey}{EscrowSuffix}";

    /// <summary>What a maintainer is owed and not yet paid out: a debit balance that must never go negative.</summary>
    public static string MaintainerPayable(string userId) => $"{MaintainerPrefix}{userId}{PayableSuffix}";

    /// <summary>
    /// A contested claimant's part of a project's money, held until an operator decides the contest. Keyed by the
    /// claim, which names both the maintainer and the project.
    /// </summary>
    public static string ContestedHeld(Guid claimId) => $"{ClaimPrefix}{claimId:D}{HeldSuffix}";

    /// <summary>The maintainer of a payable account, or null for any other account.</summary>
    public static string? MaintainerOf(string account) =>
        account.StartsWith(MaintainerPrefix, StringComparison.Ordinal) && account.EndsWith(PayableSuffix, StringComparison.Ordinal) && account.Length > MaintainerPrefix.Length + PayableSuffix.Length
            ? account[MaintainerPrefix.Length..^PayableSuffix.Length]
            : null;

    /// <summary>The claim of a held account, or null for any other account.</summary>
    public static Guid? HeldClaimOf(string account) =>
        account.StartsWith(ClaimPrefix, StringComparison.Ordinal) && account.EndsWith(HeldSuffix, StringComparison.Ordinal)
        && Guid.TryParse(account.AsSpan(ClaimPrefix.Length, account.Length - ClaimPrefix.Length - HeldSuffix.Length), out var id)
            ? id
            : null;

    public static bool IsProjectEscrow(string account) =>
        account.StartsWith(ProjectPrefix, StringComparison.Ordinal) && account.EndsWith(EscrowSuffix, StringComparison.Ordinal);

    /// <summary>The project key of an escrow account, or null for any other account.</summary>
    public static string? ProjectOf(string account) =>
        IsProjectEscrow(account) ? account[ProjectPrefix.Length..^EscrowSuffix.Length] : null;

    /// <summary>The organisation of a payments-clearing account, or null for any other account.</summary>
    public static Guid? OrganisationOf(string account) =>
        account.StartsWith(OrganisationPrefix, StringComparison.Ordinal) && account.EndsWith(ClearingSuffix, StringComparison.Ordinal)
        && Guid.TryParse(account.AsSpan(OrganisationPrefix.Length, account.Length - OrganisationPrefix.Length - ClearingSuffix.Length), out var id)
            ? id
            : null;
}
