using System.Globalization;
using System.Numerics;

namespace Sustain.Core.Allocation;

/// <summary>
/// An organisation's allocation input, prepared once so that allocating a budget under a policy is
/// cheap: the graphs are condensed here, reliance is flowed once per α and kept, and
/// <see cref="Allocate"/> then works on one number per project. Pure and deterministic: the same
/// input gives the same allocation, whatever order the products, nodes or edges came in.
/// Safe to share between threads.
/// </summary>
public sealed class AllocationModel
{
    private const int MaxProducts = 1 << 20;
    private const int WeightBits = 52;

    private readonly ProductFlow[] _products;
    private readonly string[] _projectKeys;
    private readonly ProjectAttributes?[] _attributes;
    private readonly bool[] _onExcludeList;
    private readonly Pin?[] _pins;
    private readonly int[] _packageProject;
    private readonly string[] _packageKeys;
    private readonly Dictionary<int, RelianceTable> _byAlpha = [];
    private readonly Lock _lock = new();

    private AllocationModel(ProductFlow[] products, string[] projectKeys, string[] packageKeys, int[] packageProject, AllocationInput input)
    {
        _products = products;
        _projectKeys = projectKeys;
        _packageKeys = packageKeys;
        _packageProject = packageProject;
        _attributes = new ProjectAttributes?[projectKeys.Length];
        _onExcludeList = new bool[projectKeys.Length];
        _pins = new Pin?[projectKeys.Length];
        var excluded = input.Excluded.ToHashSet(StringComparer.Ordinal);
        var pins = input.Pins.ToDictionary(p => p.ProjectKey, StringComparer.Ordinal);
        for (var j = 0; j < projectKeys.Length; j++)
        {
            _attributes[j] = input.Projects.GetValueOrDefault(projectKeys[j]);
            _onExcludeList[j] = excluded.Contains(projectKeys[j]);
            _pins[j] = pins.TryGetValue(projectKeys[j], out var pin) ? pin : null;
        }
    }

    /// <summary>The projects the model knows: every project a product reaches, and every pinned one, in key order.</summary>
    public IReadOnlyList<string> ProjectKeys => _projectKeys;

    public static AllocationModel Prepare(AllocationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Validate(input);
        var products = input.Products.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();

        var packageSet = new HashSet<string>(StringComparer.Ordinal);
        foreach (var product in products)
        {
            var graph = product.Graph;
            for (var n = 0; n < graph.NodeCount; n++)
            {
                if (!graph.IsRoot(n) && graph.IsReachable(n))
                    packageSet.Add(product.PackageKeys[n]);
            }
        }

        var packageKeys = packageSet.ToArray();
        Array.Sort(packageKeys, StringComparer.Ordinal);
        var packageIndex = new Dictionary<string, int>(packageKeys.Length, StringComparer.Ordinal);
        for (var i = 0; i < packageKeys.Length; i++)
            packageIndex[packageKeys[i]] = i;

        var projectOf = packageKeys.Select(k => input.ProjectOfPackage.GetValueOrDefault(k) ?? k).ToArray();
        var projectKeys = projectOf.Concat(input.Pins.Select(p => p.ProjectKey)).Distinct(StringComparer.Ordinal).ToArray();
        Array.Sort(projectKeys, StringComparer.Ordinal);
        var projectIndex = new Dictionary<string, int>(projectKeys.Length, StringComparer.Ordinal);
        for (var j = 0; j < projectKeys.Length; j++)
            projectIndex[projectKeys[j]] = j;
        var packageProject = projectOf.Select(k => projectIndex[k]).ToArray();

        var flows = new ProductFlow[products.Length];
        for (var p = 0; p < products.Length; p++)
        {
            var graph = products[p].Graph;
            var nodePackage = new int[graph.NodeCount];
            for (var n = 0; n < nodePackage.Length; n++)
                nodePackage[n] = !graph.IsRoot(n) && graph.IsReachable(n) ? packageIndex[products[p].PackageKeys[n]] : -1;
            flows[p] = new ProductFlow(products[p], nodePackage);
        }

        return new AllocationModel(flows, projectKeys, packageKeys, packageProject, input);
    }

    /// <summary>Splits <paramref name="budget"/> between the projects under <paramref name="policy"/>.</summary>
    public Allocation Allocate(Money budget, AllocationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (budget.Currency.Code is null)
            throw new ArgumentException("the budget has no currency", nameof(budget));
        if (budget.Minor < 0)
            throw new ArgumentException($"the budget {budget} is negative", nameof(budget));
        if (!double.IsFinite(policy.Alpha) || policy.Alpha is < 0 or > 1)
            throw new ArgumentException($"α must be between 0 and 1, not {policy.Alpha}", nameof(policy));

        var minimum = policy.Minimum?.MinorOf(budget, roundUp: true) ?? 0;
        var maximum = policy.Maximum?.MinorOf(budget, roundUp: false) ?? long.MaxValue;
        if (policy.Minimum is { } min && policy.Maximum is { } max && min.TenThousandths(budget) > max.TenThousandths(budget))
            throw new ArgumentException($"the minimum share ({policy.Minimum}) is above the maximum share ({policy.Maximum})", nameof(policy));

        var table = RelianceFor((int)Math.Round(policy.Alpha * (1 << ProductFlow.AlphaBits)));
        var reliance = WeighProducts(table, policy);
        var run = new Run(this, table, budget, reliance);
        run.Classify(policy);
        run.Distribute(minimum, maximum, policy);
        return run.Result();
    }

    private long[] WeighProducts(RelianceTable table, AllocationPolicy policy)
    {
        var weights = new double[_products.Length];
        for (var p = 0; p < _products.Length; p++)
        {
            var weight = policy.ProductWeights.TryGetValue(_products[p].Key, out var w) ? w : _products[p].Weight;
            if (!double.IsFinite(weight) || weight < 0)
                throw new ArgumentException($"product '{_products[p].Key}' has weight {weight}; weights are finite and not negative", nameof(policy));
            weights[p] = weight;
        }

        // Scaling by the heaviest product (not by the sum) keeps each term exact for equal weights
        // and independent of the order products are summed in.
        var heaviest = weights.Length == 0 ? 0 : weights.Max();
        var reliance = new long[_projectKeys.Length];
        for (var p = 0; p < _products.Length; p++)
        {
            if (weights[p] == 0)
                continue;
            var factor = weights[p] / heaviest;
            var (projects, amounts) = table.Products[p];
            for (var i = 0; i < projects.Length; i++)
                reliance[projects[i]] += factor == 1 ? amounts[i] : (long)(amounts[i] * factor);
        }

        return reliance;
    }

    private RelianceTable RelianceFor(int alpha)
    {
        lock (_lock)
        {
            if (!_byAlpha.TryGetValue(alpha, out var table))
                _byAlpha[alpha] = table = RelianceTable.Build(_products, _packageProject, _packageKeys, _projectKeys.Length, alpha);
            return table;
        }
    }

    private static void Validate(AllocationInput input)
    {
        if (input.Products.Count > MaxProducts)
            throw new ArgumentException($"{input.Products.Count:N0} products is more than the {MaxProducts:N0} an allocation takes", nameof(input));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var product in input.Products)
        {
            if (string.IsNullOrEmpty(product.Key))
                throw new ArgumentException("a product has no key", nameof(input));
            if (!keys.Add(product.Key))
                throw new ArgumentException($"product '{product.Key}' appears twice", nameof(input));
            if (product.PackageKeys.Count != product.Graph.NodeCount)
                throw new ArgumentException($"product '{product.Key}' names {product.PackageKeys.Count} packages for {product.Graph.NodeCount} graph nodes", nameof(input));
            if (!double.IsFinite(product.Weight) || product.Weight < 0)
                throw new ArgumentException($"product '{product.Key}' has weight {product.Weight}; weights are finite and not negative", nameof(input));
            for (var n = 0; n < product.PackageKeys.Count; n++)
            {
                if (string.IsNullOrEmpty(product.PackageKeys[n]))
                    throw new ArgumentException($"product '{product.Key}' node {n} has no package key", nameof(input));
            }
        }

        var pinned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pin in input.Pins)
        {
            if (!pinned.Add(pin.ProjectKey))
                throw new ArgumentException($"project '{pin.ProjectKey}' is pinned twice", nameof(input));
        }
    }

    /// <summary>One allocation in progress: the per-project arrays and the rules applied to them in turn.</summary>
    private sealed class Run
    {
        private readonly AllocationModel _model;
        private readonly RelianceTable _table;
        private readonly Money _budget;
        private readonly long[] _reliance;
        private readonly long[] _amount;
        private readonly ShareStatus[] _status;
        private readonly List<string>?[] _notes;
        private readonly double[] _weight;
        private readonly List<int> _pinned = [];
        private readonly List<int> _active = [];
        private long _unallocated;
        private string? _unallocatedReason;

        public Run(AllocationModel model, RelianceTable table, Money budget, long[] reliance)
        {
            _model = model;
            _table = table;
            _budget = budget;
            _reliance = reliance;
            var count = model._projectKeys.Length;
            _amount = new long[count];
            _status = new ShareStatus[count];
            _notes = new List<string>?[count];
            _weight = new double[count];
        }

        private int Count => _amount.Length;

        /// <summary>Sorts each project into excluded, pinned or active, and weighs the active ones.</summary>
        public void Classify(AllocationPolicy policy)
        {
            for (var j = 0; j < Count; j++)
            {
                var attributes = _model._attributes[j];
                var exclusion = ExclusionOf(j, attributes, policy);
                if (exclusion is not null)
                {
                    _status[j] = ShareStatus.Excluded;
                    Note(j, exclusion);
                    if (_model._pins[j] is not null)
                        Note(j, "its pin is ignored because it is excluded");
                    continue;
                }

                if (_model._pins[j] is not null)
                {
                    _status[j] = ShareStatus.Pinned;
                    _pinned.Add(j);
                    continue;
                }

                var weight = (double)_reliance[j];
                if (policy.Criticality)
                {
                    var dependents = Math.Max(0, attributes?.Dependents ?? 0);
                    var factor = 1 + Math.Log(1 + (double)dependents);
                    weight *= factor;
                    Note(j, string.Create(CultureInfo.InvariantCulture, $"criticality ×{factor:0.00} ({dependents:N0} dependents)"));
                }

                if (policy.Need)
                {
                    var funding = attributes?.ExistingFunding is { } money && money.Minor > 0 ? money : (Money?)null;
                    var major = funding is { } f ? (double)f.Minor / f.Currency.MinorPerMajor : 0;
                    var factor = 1 / (1 + Math.Log(1 + major));
                    weight *= factor;
                    Note(j, funding is { } m
                        ? string.Create(CultureInfo.InvariantCulture, $"need ×{factor:0.00} ({m} existing funding)")
                        : "need ×1.00 (no known existing funding)");
                }

                _weight[j] = weight;
                _active.Add(j);
            }
        }

        /// <summary>Pins first, then the rest of the budget over the active projects: minimum, maximum, largest remainder.</summary>
        public void Distribute(long minimum, long maximum, AllocationPolicy policy)
        {
            var rest = _budget.Minor - Pin();
            var weights = ScaledWeights(policy);
            var order = _active.ToArray();
            Array.Sort(order, (a, b) => weights[a] != weights[b] ? weights[b].CompareTo(weights[a]) : a.CompareTo(b));
            var prefix = new Int128[order.Length + 1];
            for (var i = 0; i < order.Length; i++)
                prefix[i + 1] = prefix[i] + weights[order[i]];

            var kept = order.Length;
            if (minimum > 0)
            {
                kept = LargestPrefixAboveMinimum(order, weights, prefix, rest, minimum, maximum);
                var note = $"below the minimum share ({policy.Minimum}): dropped and its money re-spread";
                foreach (var j in order.AsSpan(kept))
                {
                    _status[j] = ShareStatus.BelowMinimum;
                    Note(j, note);
                }
            }

            var capped = CappedCount(order, weights, prefix, kept, rest, maximum);
            var cappedNote = capped > 0 ? $"capped at the maximum share ({policy.Maximum}); the excess went to the others" : "";
            foreach (var j in order.AsSpan(0, capped))
            {
                _amount[j] = maximum;
                _status[j] = ShareStatus.Capped;
                Note(j, cappedNote);
            }

            rest -= capped * maximum;
            if (prefix[kept] - prefix[capped] > 0)
            {
                Apportion(rest, order.AsSpan(capped, kept - capped), j => (Int128)weights[j], _amount);
                return;
            }

            _unallocated = rest;
            _unallocatedReason =
                Count == 0 ? "no product depends on any package, so there is no project to fund"
                : _active.Count == 0 && _pinned.Count == 0 ? "every project is excluded by the policy or the exclude list"
                : _active.Count == 0 ? "only pinned projects may be funded, and the pins do not take the whole budget"
                : prefix[^1] == 0 ? "no project that may be funded carries any reliance (are all product weights zero?)"
                : kept == 0 ? $"no project would reach the minimum share ({policy.Minimum})"
                : $"every project is at the maximum share ({policy.Maximum})";
        }

        public Allocation Result()
        {
            var total = 0L;
            foreach (var r in _reliance)
                total += r;
            var currency = _budget.Currency;
            var shares = new AllocationShare[Count];
            for (var j = 0; j < Count; j++)
            {
                shares[j] = new AllocationShare(
                    _model._projectKeys[j],
                    new Money(_amount[j], currency),
                    _status[j],
                    total == 0 ? 0 : (double)_reliance[j] / total,
                    _notes[j] is { } notes ? notes.ToArray() : [],
                    _table.Contributions[j],
                    _table.PathProducts[j],
                    _table.Paths[j]);
            }

            // Shares are built in key order, so a stable sort leaves equal amounts in key order.
            var ordered = shares.OrderByDescending(s => s.Amount.Minor).ThenBy(s => s.Status == ShareStatus.Excluded).ToArray();
            return new Allocation(_budget, ordered, new Money(_unallocated, currency), _unallocated > 0 ? _unallocatedReason : null);
        }

        /// <summary>
        /// Gives each pin its amount and returns their total. Pins that together ask for more than
        /// the budget (measured exactly, before basis points are rounded) are scaled down together
        /// to fill it, so a larger budget never turns them from fitting to overflowing.
        /// </summary>
        private long Pin()
        {
            // Each pin's claim in ten-thousandths of a minor unit, exact for both kinds of pin.
            var claims = new BigInteger[Count];
            BigInteger claimed = 0;
            foreach (var j in _pinned)
            {
                var pin = _model._pins[j]!.Value;
                if (pin.Amount is { } amount)
                {
                    if (amount.Currency != _budget.Currency)
                        throw new ArgumentException($"project '{pin.ProjectKey}' is pinned at {amount}, not in the budget's currency {_budget.Currency}");
                    claims[j] = (BigInteger)amount.Minor * 10_000;
                    Note(j, $"pinned at {amount}");
                }
                else
                {
                    claims[j] = (BigInteger)_budget.Minor * pin.BasisPoints!.Value;
                    Note(j, string.Create(CultureInfo.InvariantCulture, $"pinned at {pin.BasisPoints.Value / 100.0:0.##}% of the budget"));
                }

                claimed += claims[j];
            }

            if (claimed <= (BigInteger)_budget.Minor * 10_000)
            {
                var total = 0L;
                foreach (var j in _pinned)
                {
                    _amount[j] = (long)(claims[j] / 10_000);
                    total += _amount[j];
                }

                return total;
            }

            Apportion(_budget.Minor, _pinned.ToArray(), j => claims[j], _amount);
            foreach (var j in _pinned)
                Note(j, "the pins add up to more than the budget, so each was scaled down in proportion");
            return _budget.Minor;
        }

        /// <summary>
        /// The active weights as integers, so that every later step is exact integer arithmetic on
        /// the same numbers whatever order they are visited in: the reliance itself when no factor
        /// applies (so equal or simply related reliance divides exactly), otherwise the weights
        /// scaled so the heaviest is 2^52.
        /// </summary>
        private long[] ScaledWeights(AllocationPolicy policy)
        {
            var scaled = new long[Count];
            if (!policy.Criticality && !policy.Need)
            {
                foreach (var j in _active)
                    scaled[j] = _reliance[j];
                return scaled;
            }

            var heaviest = 0.0;
            foreach (var j in _active)
                heaviest = Math.Max(heaviest, _weight[j]);
            if (heaviest == 0)
                return scaled;
            foreach (var j in _active)
                scaled[j] = (long)Math.Round(_weight[j] / heaviest * (1L << WeightBits));
            return scaled;
        }

        /// <summary>
        /// Dropping the smallest share below the minimum and re-spreading, one at a time, keeps the
        /// heaviest k projects for the largest k whose lightest still reaches the minimum; projects of
        /// equal weight are kept or dropped together. That share only shrinks as k grows, so k is
        /// found by bisection over the places where the weight changes.
        /// </summary>
        private static int LargestPrefixAboveMinimum(int[] order, long[] weights, Int128[] prefix, long rest, long minimum, long maximum)
        {
            var boundaries = new List<int> { 0 };
            for (var k = 1; k <= order.Length; k++)
            {
                if (k == order.Length || weights[order[k]] != weights[order[k - 1]])
                    boundaries.Add(k);
            }

            int low = 0, high = boundaries.Count - 1;
            while (low < high)
            {
                var mid = (low + high + 1) / 2;
                if (LightestReaches(boundaries[mid]))
                    low = mid;
                else
                    high = mid - 1;
            }

            return boundaries[low];

            bool LightestReaches(int k)
            {
                var capped = CappedCount(order, weights, prefix, k, rest, maximum);
                if (capped == k)
                    return maximum >= minimum;
                var remaining = rest - (Int128)capped * maximum;
                var others = prefix[k] - prefix[capped];
                return others > 0 && remaining * weights[order[k - 1]] / others >= minimum;
            }
        }

        /// <summary>Water-filling: how many of the heaviest <paramref name="kept"/> projects the maximum holds, each capping re-spreading its excess.</summary>
        private static int CappedCount(int[] order, long[] weights, Int128[] prefix, int kept, long rest, long maximum)
        {
            var capped = 0;
            Int128 remaining = rest;
            // Once the money left fits under one cap, no quota can exceed it.
            while (capped < kept && maximum < remaining)
            {
                var others = prefix[kept] - prefix[capped];
                if (others == 0 || remaining * weights[order[capped]] / others < maximum)
                    break;
                remaining -= maximum;
                capped++;
            }

            return capped;
        }

        /// <summary>
        /// Largest-remainder rounding: each item gets the floor of its exact quota of
        /// <paramref name="total"/>, and the minor units left over go one each to the largest
        /// remainders, ties to the lower index (the earlier key). The weights are integers wide
        /// enough for total × weight (Int128 for scaled weights, BigInteger for pins).
        /// </summary>
        private static void Apportion<T>(long total, ReadOnlySpan<int> items, Func<int, T> weightOf, long[] amounts)
            where T : IBinaryInteger<T>
        {
            var sum = T.Zero;
            foreach (var j in items)
                sum += weightOf(j);
            var remainders = new (T Remainder, int Item)[items.Length];
            var given = 0L;
            var wideTotal = T.CreateChecked(total);
            for (var i = 0; i < items.Length; i++)
            {
                var j = items[i];
                var (quotient, remainder) = T.DivRem(wideTotal * weightOf(j), sum);
                amounts[j] = long.CreateChecked(quotient);
                remainders[i] = (remainder, j);
                given += amounts[j];
            }

            var left = total - given;
            if (left == 0)
                return;
            Array.Sort(remainders, static (a, b) => a.Remainder != b.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.Item.CompareTo(b.Item));
            for (var i = 0; i < left; i++)
                amounts[remainders[i].Item]++;
        }

        private string? ExclusionOf(int j, ProjectAttributes? attributes, AllocationPolicy policy) =>
            _model._onExcludeList[j] ? "excluded: on the organisation's exclude list"
            : policy.ExcludeOwnProjects && attributes?.OwnedByOrganisation == true ? "excluded: the organisation's own project"
            : policy.ExcludeCompanyOwned && attributes?.OwnedByCompany == true ? "excluded: owned by a company"
            : policy.ExcludeArchived && attributes?.Archived == true ? "excluded: archived"
            : null;

        private void Note(int j, string note) => (_notes[j] ??= []).Add(note);
    }
}
