using System.Globalization;

namespace Sustain.Core.Maintainers;

/// <summary>One maintainer's part of a project's money, in basis points (1/100 of a percent).</summary>
public sealed record SplitShare(string MaintainerId, int BasisPoints);

/// <summary>One maintainer's part of an amount, in minor units.</summary>
public sealed record SplitAmount(string MaintainerId, long Minor);

/// <summary>
/// How a project's money is divided between its maintainers: shares in basis points that add up to
/// exactly <see cref="Whole"/>, and the exact division of an amount by them (largest remainder, so the
/// parts add up to the amount to the minor unit and nobody is more than one unit from their exact share).
/// </summary>
public static class MaintainerSplit
{
    /// <summary>100%, in basis points.</summary>
    public const int Whole = 10_000;

    /// <summary>
    /// What is wrong with <paramref name="shares"/>, one message each, empty when nothing is: a share
    /// below zero or above 100%, a maintainer not in <paramref name="maintainers"/> or named twice, a sum
    /// other than 10,000. <paramref name="nameOf"/> turns an id into the name a person recognises.
    /// </summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<SplitShare> shares, IReadOnlySet<string> maintainers, Func<string, string>? nameOf = null)
    {
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentNullException.ThrowIfNull(maintainers);
        nameOf ??= id => id;
        var errors = new List<string>();
        if (shares.Count == 0)
        {
            errors.Add("The split is empty: give at least one maintainer a share.");
            return errors;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var share in shares)
        {
            if (!maintainers.Contains(share.MaintainerId))
                errors.Add($"{nameOf(share.MaintainerId)} is not a verified maintainer of this project, so cannot have a share.");
            else if (!seen.Add(share.MaintainerId))
                errors.Add($"{nameOf(share.MaintainerId)} appears more than once; give each maintainer one share.");
            if (share.BasisPoints < 0)
                errors.Add($"{nameOf(share.MaintainerId)}'s share is negative ({Percent(share.BasisPoints)}); a share is from 0% to 100%.");
            else if (share.BasisPoints > Whole)
                errors.Add($"{nameOf(share.MaintainerId)}'s share is {Percent(share.BasisPoints)}; a share is at most 100%.");
        }

        var sum = shares.Sum(s => (long)s.BasisPoints);
        if (sum != Whole)
            errors.Add($"The shares add up to {Percent(sum)} ({sum.ToString("N0", CultureInfo.InvariantCulture)} basis points); they must add up to exactly 100% (10,000 basis points).");
        return errors;
    }

    /// <summary>
    /// Divides <paramref name="amountMinor"/> by <paramref name="shares"/> (which must be valid: non-negative,
    /// summing to 10,000). Each part is its exact share rounded down, and the units left over go one each to
    /// the largest remainders, ties to the larger share and then to the maintainer id in ordinal order, so the
    /// result depends on the shares alone, not on their order. A negative amount (a refund) divides as its
    /// opposite, negated. The result lists the maintainers in the order given.
    /// </summary>
    public static IReadOnlyList<SplitAmount> Divide(IReadOnlyList<SplitShare> shares, long amountMinor)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (shares.Any(s => s.BasisPoints < 0) || shares.Sum(s => (long)s.BasisPoints) != Whole)
            throw new ArgumentException("The shares must be zero or more and add up to exactly 10,000 basis points.", nameof(shares));
        if (shares.Select(s => s.MaintainerId).Distinct(StringComparer.Ordinal).Count() != shares.Count)
            throw new ArgumentException("Each maintainer has one share.", nameof(shares));

        var negative = amountMinor < 0;
        var parts = Apportion([.. shares.Select(s => (s.MaintainerId, (long)s.BasisPoints))], negative ? -(Int128)amountMinor : amountMinor);
        return [.. shares.Select((s, i) => new SplitAmount(s.MaintainerId, (long)(negative ? -parts[i] : parts[i])))];
    }

    /// <inheritdoc cref="Divide(IReadOnlyList{SplitShare}, long)"/>
    public static IReadOnlyList<(string MaintainerId, Money Amount)> Divide(IReadOnlyList<SplitShare> shares, Money amount) =>
        [.. Divide(shares, amount.Minor).Select(p => (p.MaintainerId, new Money(p.Minor, amount.Currency)))];

    /// <summary>
    /// The split once <paramref name="maintainerId"/> leaves: their basis points go to the others in
    /// proportion to what those hold (equally when the others hold nothing), divided exactly as money is.
    /// Empty when nobody is left.
    /// </summary>
    public static IReadOnlyList<SplitShare> Without(IReadOnlyList<SplitShare> shares, string maintainerId)
    {
        ArgumentNullException.ThrowIfNull(shares);
        var staying = shares.Where(s => s.MaintainerId != maintainerId).ToList();
        if (staying.Count == 0)
            return [];
        var nobodyHolds = staying.All(s => s.BasisPoints == 0);
        var parts = Apportion([.. staying.Select(s => (s.MaintainerId, nobodyHolds ? 1L : s.BasisPoints))], Whole);
        return [.. staying.Select((s, i) => new SplitShare(s.MaintainerId, (int)parts[i]))];
    }

    /// <summary>Equal shares for <paramref name="maintainerIds"/>, exact to the basis point.</summary>
    public static IReadOnlyList<SplitShare> Equal(IReadOnlyList<string> maintainerIds)
    {
        ArgumentNullException.ThrowIfNull(maintainerIds);
        if (maintainerIds.Count == 0)
            return [];
        var parts = Apportion([.. maintainerIds.Select(id => (id, 1L))], Whole);
        return [.. maintainerIds.Select((id, i) => new SplitShare(id, (int)parts[i]))];
    }

    /// <summary>Formats basis points as a percentage with two decimals: 3334 → "33.34%".</summary>
    public static string Percent(long basisPoints)
    {
        var sign = basisPoints < 0 ? "-" : "";
        var magnitude = Math.Abs(basisPoints);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{magnitude / 100}.{magnitude % 100:D2}%");
    }

    /// <summary>
    /// Reads a percentage with at most two decimals ("50", "33.34", "0.5", "12,5" is refused) exactly into basis
    /// points, without floating point. False, with a message, for anything else.
    /// </summary>
    public static bool TryParsePercent(string? text, out int basisPoints, out string? error)
    {
        basisPoints = 0;
        error = null;
        var value = (text ?? "").Trim().TrimEnd('%').Trim();
        if (value.Length == 0)
        {
            error = "is empty; enter a percentage such as 50 or 33.34";
            return false;
        }

        var negative = value.StartsWith('-');
        var digits = negative ? value[1..] : value;
        var point = digits.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? digits : digits[..point];
        var fraction = point < 0 ? "" : digits[(point + 1)..];
        if (whole.Length == 0 || whole.Length > 5 || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit) || (point >= 0 && fraction.Length == 0))
        {
            error = $"'{text}' is not a percentage; enter a number such as 50 or 33.34";
            return false;
        }

        if (fraction.Length > 2)
        {
            error = $"'{text}' has more than two decimals; a share is counted in hundredths of a percent";
            return false;
        }

        var points = (int.Parse(whole, CultureInfo.InvariantCulture) * 100) + int.Parse(fraction.PadRight(2, '0'), CultureInfo.InvariantCulture);
        basisPoints = negative ? -points : points;
        return true;
    }

    /// <summary>
    /// Largest remainder: <paramref name="amount"/> in whole units divided in proportion to positive-sum,
    /// non-negative weights. Each part is its exact share rounded down; the units left over go one each to the
    /// largest remainders, ties to the larger weight and then to the id in ordinal order.
    /// </summary>
    private static Int128[] Apportion(IReadOnlyList<(string Id, long Weight)> weights, Int128 amount)
    {
        Int128 total = weights.Sum(w => w.Weight);
        var parts = new Int128[weights.Count];
        var remainders = new Int128[weights.Count];
        Int128 given = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = amount * weights[i].Weight;
            parts[i] = exact / total;
            remainders[i] = exact % total;
            given += parts[i];
        }

        var leftOver = (int)(amount - given);
        var order = Enumerable.Range(0, weights.Count)
            .OrderByDescending(i => remainders[i])
            .ThenByDescending(i => weights[i].Weight)
            .ThenBy(i => weights[i].Id, StringComparer.Ordinal);
        foreach (var i in order.Take(leftOver))
            parts[i] += 1;
        return parts;
    }
}
