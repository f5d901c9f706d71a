namespace Sustain.Core.Ledger;

/// <summary>
/// Splits a whole number of minor units in proportion to weights, exactly: each part is the floor
/// of its exact share, and the units left over go one each to the largest remainders (ties to the
/// earlier weight). The parts always sum to the total, and the same input gives the same output.
/// </summary>
public static class ProRata
{
    public static long[] Spread(long total, IReadOnlyList<long> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        var parts = new long[weights.Count];
        if (weights.Count == 0)
            return total == 0 ? parts : throw new ArgumentException($"{total} cannot be spread over no weights", nameof(weights));

        Int128 sum = 0;
        foreach (var weight in weights)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(weight, nameof(weights));
            sum += weight;
        }

        if (sum == 0)
            return total == 0 ? parts : throw new ArgumentException($"{total} cannot be spread over weights that are all zero", nameof(weights));

        var remainders = new Int128[weights.Count];
        long given = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = (Int128)total * weights[i];
            parts[i] = (long)(exact / sum);
            remainders[i] = exact % sum;
            given += parts[i];
        }

        var order = Enumerable.Range(0, weights.Count).OrderByDescending(i => remainders[i]).ThenBy(i => i).ToArray();
        for (var k = 0; k < total - given; k++)
            parts[order[k]]++;
        return parts;
    }
}
