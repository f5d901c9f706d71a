namespace Sustain.Core.Allocation;

/// <summary>
/// Everything about reliance that depends on α but not on the budget or the rest of the policy:
/// each product's reliance per project, and each project's contributions and representative path.
/// Computed once per α and kept, so a what-if is a pass over projects, not over edges.
/// </summary>
internal sealed class RelianceTable
{
    private RelianceTable(ProductReliance[] products, RelianceContribution[][] contributions, string?[] pathProducts, string[][] paths)
    {
        Products = products;
        Contributions = contributions;
        PathProducts = pathProducts;
        Paths = paths;
    }

    /// <summary>Per product (in key order), the projects it reaches and the reliance on each, in units of 2^-42.</summary>
    public ProductReliance[] Products { get; }

    public RelianceContribution[][] Contributions { get; }

    public string?[] PathProducts { get; }

    public string[][] Paths { get; }

    public static RelianceTable Build(ProductFlow[] products, int[] packageProject, IReadOnlyList<string> packageKeys, int projectCount, int alpha)
    {
        var perProduct = new ProductReliance[products.Length];
        var found = new List<Found>();
        var packageReliance = new long[packageProject.Length];
        var packageNode = new int[packageProject.Length];
        var projectReliance = new long[projectCount];
        var touchedPackages = new List<int>();
        var touchedProjects = new List<int>();
        for (var p = 0; p < products.Length; p++)
        {
            var product = products[p];
            var reliance = product.NodeReliance(alpha);
            for (var n = 0; n < reliance.Length; n++)
            {
                if (reliance[n] == 0)
                    continue;
                var package = product.NodePackage[n];
                if (packageReliance[package] == 0)
                {
                    touchedPackages.Add(package);
                    packageNode[package] = n;
                }
                else if (reliance[n] > reliance[packageNode[package]])
                {
                    packageNode[package] = n;
                }

                packageReliance[package] += reliance[n];
            }

            foreach (var package in touchedPackages)
            {
                var project = packageProject[package];
                if (projectReliance[project] == 0)
                    touchedProjects.Add(project);
                projectReliance[project] += packageReliance[package];
                found.Add(new Found(project, p, package, packageReliance[package], packageNode[package]));
                packageReliance[package] = 0;
            }

            var projects = touchedProjects.ToArray();
            var amounts = new long[projects.Length];
            for (var i = 0; i < projects.Length; i++)
            {
                amounts[i] = projectReliance[projects[i]];
                projectReliance[projects[i]] = 0;
            }

            perProduct[p] = new ProductReliance(projects, amounts);
            touchedPackages.Clear();
            touchedProjects.Clear();
        }

        // Heaviest first; ties by product then package key, which the indices already order.
        found.Sort(static (a, b) =>
            a.Project != b.Project ? a.Project.CompareTo(b.Project)
            : a.Reliance != b.Reliance ? b.Reliance.CompareTo(a.Reliance)
            : a.Product != b.Product ? a.Product.CompareTo(b.Product)
            : a.Package.CompareTo(b.Package));

        var contributions = new RelianceContribution[projectCount][];
        var pathProducts = new string?[projectCount];
        var paths = new string[projectCount][];
        var start = 0;
        for (var project = 0; project < projectCount; project++)
        {
            var end = start;
            while (end < found.Count && found[end].Project == project)
                end++;
            var list = new RelianceContribution[end - start];
            for (var i = start; i < end; i++)
                list[i - start] = new RelianceContribution(products[found[i].Product].Key, packageKeys[found[i].Package], (double)found[i].Reliance / ProductFlow.Unit);
            contributions[project] = list;
            if (end > start)
            {
                var heaviest = found[start];
                var product = products[heaviest.Product];
                pathProducts[project] = product.Key;
                paths[project] = product.Graph.PathTo(heaviest.Node).Select(n => product.PackageKeys[n]).ToArray();
            }
            else
            {
                paths[project] = [];
            }

            start = end;
        }

        return new RelianceTable(perProduct, contributions, pathProducts, paths);
    }

    private readonly record struct Found(int Project, int Product, int Package, long Reliance, int Node);
}

internal readonly record struct ProductReliance(int[] Projects, long[] Reliance);
