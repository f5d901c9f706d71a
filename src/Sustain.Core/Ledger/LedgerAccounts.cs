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

    private const string OrganisationPrefix = "org:";
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
