using System.Diagnostics;
using System.Text.RegularExpressions;
using k8s;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// deploy/compose.yaml and deploy/k8s, each checked by schema validators (<c>scripts/check-deploy.sh</c>: dclint with
/// the Compose specification's schema; kubernetes-models with the Kubernetes OpenAPI schemas, plus the checks across
/// files), by the Kubernetes client's own models in strict mode (no unknown field), and against the settings the API
/// reads (README's configuration table). Broken copies prove each check refuses what it should.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Root = TestServices.RepositoryRoot();
    private static string Deploy(params string[] parts) => Path.Combine([Root, "deploy", .. parts]);

    [Fact]
    public async Task The_compose_file_and_the_kubernetes_manifests_pass_their_validators()
    {
        var (exit, output) = await CheckDeployAsync();
        Assert.True(exit == 0, output);
        Assert.Contains("compose: compose.yaml valid (dclint 3.1.0)", output, StringComparison.Ordinal);
        var documents = int.Parse(KubernetesSummary().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(documents >= 15, output); // 2 Deployments, Service, Job, 2 PDBs, 2 HPAs, 2 ConfigMaps, 5 NetworkPolicies
        Assert.Contains("k8s: " + documents + " documents, 0 problem(s)", output, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, string> BrokenFiles => new()
    {
        // file, text, replaced by, what the validator says
        { "compose.yaml", "    image: redis:7.4.5\n", "    image: redis:7.4.5\n    imagee: redis\n", "must NOT have additional properties" },
        { "compose.yaml", "\"127.0.0.1:8080:8080\"", "\"8080:8080\"", "no-unbound-port-interfaces" },
        { "compose.yaml", "stop_grace_period: 45s", "stop_grace_period: [45]", "invalid-schema" },
        { "k8s/api.yaml", "containerPort: 8080", "containerPort: \"8080\"", "containerPort must be integer" },
        { "k8s/api.yaml", "terminationGracePeriodSeconds: 45", "terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds 30 < preStop 5 + drain 5 + 30 s in flight = 40" },
        { "k8s/api.yaml", "readinessProbe:\n            httpGet: { path: /ready", "readinessProbe:\n            httpGet: { path: /live", "the readiness probe must ask /ready" },
        { "k8s/worker.yaml", "terminationGracePeriodSeconds: 120", "terminationGracePeriodSeconds: 60", "terminationGracePeriodSeconds 60 < render grace 90 + 15 s" },
        { "k8s/hpa.yaml", "name: renderowl_renders_active", "name: renderowl_queue_depth", "external metric renderowl_queue_depth is served by no prometheus-adapter rule" },
        { "k8s/pdb.yaml", "      app.kubernetes.io/component: worker\n", "      app.kubernetes.io/component: workers\n", "PodDisruptionBudget/renderowl-worker: selects no pods" },
        { "k8s/migrate-job.yaml", "restartPolicy: Never", "restartPolicy: Sometimes", "restartPolicy must be equal to one of the allowed values" },
        { "k8s/migrate-job.yaml", "              value: \"true\"", "              value: \"false\"", "applies migrations only with Database__MigrateOnStartup=true" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public async Task A_broken_file_is_refused_with_the_reason(string file, string text, string replacement, string expected)
    {
        var copy = CopyDeployFolder();
        try
        {
            var path = Path.Combine(copy, file);
            var content = await File.ReadAllTextAsync(path);
            Assert.Contains(text, content, StringComparison.Ordinal); // the mutation applies to the file as it is
            await File.WriteAllTextAsync(path, content.Replace(text, replacement, StringComparison.Ordinal));

            var (exit, output) = await CheckDeployAsync(Path.Combine(copy, "compose.yaml"), Path.Combine(copy, "k8s"));

            Assert.True(exit != 0, output);
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task Every_kubernetes_manifest_loads_into_the_clients_models_with_no_unknown_field()
    {
        var loaded = 0;
        foreach (var file in Directory.GetFiles(Deploy("k8s"), "*.yaml"))
        {
            var objects = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(file), strict: true);
            Assert.All(objects, o => Assert.IsAssignableFrom<IKubernetesObject>(o));
            loaded += objects.Count;
        }
        Assert.True(loaded >= 15, $"{loaded} objects");

        // A misspelt field the OpenAPI schemas let through (they allow unknown properties) is refused here.
        var pdb = (await File.ReadAllTextAsync(Deploy("k8s", "pdb.yaml"))).Replace("  maxUnavailable: 1", "  maxUnavailble: 1", StringComparison.Ordinal);
        var error = Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(pdb, strict: true));
        Assert.Contains("maxUnavailble", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_setting_the_deployment_files_give_is_one_the_api_reads()
    {
        var documented = DocumentedSettings(await File.ReadAllLinesAsync(Path.Combine(Root, "README.md")));
        Assert.Contains("Storage:S3:Bucket", documented); // the table's "`A:B:C` / `D`" shorthand is understood
        Assert.Contains("Rendering:Dispatcher:ShutdownGraceSeconds", documented);

        var configMap = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(Deploy("k8s", "configmap.yaml")), strict: true)
            .OfType<k8s.Models.V1ConfigMap>().Single(c => c.Metadata.Name == "renderowl");
        var compose = new YamlStream();
        compose.Load(new StringReader(await File.ReadAllTextAsync(Deploy("compose.yaml"))));
        var composeEnvironment = ((YamlMappingNode)((YamlMappingNode)compose.Documents[0].RootNode)["x-renderowl"])["environment"];
        var given = configMap.Data.Keys.Select(k => ("configmap.yaml", k))
            .Concat(((YamlMappingNode)composeEnvironment).Children.Keys.Select(k => ("compose.yaml", ((YamlScalarNode)k).Value!)))
            .ToList();
        Assert.True(given.Count >= 30, $"{given.Count} settings");

        var unknown = given.Where(g => !documented.Contains(SettingName(g.Item2))).Select(g => $"{g.Item1}: {g.Item2}").ToList();
        Assert.True(unknown.Count == 0, "settings the API does not read (README's configuration table): " + string.Join(", ", unknown));
    }

    /// <summary><c>Storage__S3__Bucket</c> → <c>Storage:S3:Bucket</c>; list indexes (<c>Proxy__Trusted__0</c>) name the list.</summary>
    private static string SettingName(string variable) => variable.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
        ? variable
        : ListIndex().Replace(variable, "").Replace("__", ":", StringComparison.Ordinal);

    /// <summary>The first cell of each row of README's tables: <c>`Email:Smtp:Host` / `Port`</c> names Email:Smtp:Host and Email:Smtp:Port.</summary>
    private static HashSet<string> DocumentedSettings(string[] readme)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in readme.Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var prefix = "";
            foreach (Match token in Token().Matches(line.Split('|')[1]))
            {
                var name = token.Groups[1].Value;
                if (name.Contains("__", StringComparison.Ordinal)) continue; // the environment form, given in brackets
                if (name.Contains(':', StringComparison.Ordinal)) prefix = name[..(name.LastIndexOf(':') + 1)];
                names.Add(name.Contains(':', StringComparison.Ordinal) || name.Contains('_', StringComparison.Ordinal) ? name : prefix + name);
            }
        }
        return names;
    }

    private static string CopyDeployFolder()
    {
        var copy = Directory.CreateTempSubdirectory("renderowl-deploy-").FullName;
        File.Copy(Deploy("compose.yaml"), Path.Combine(copy, "compose.yaml"));
        Directory.CreateDirectory(Path.Combine(copy, "k8s"));
        foreach (var file in Directory.GetFiles(Deploy("k8s")))
        {
            File.Copy(file, Path.Combine(copy, "k8s", Path.GetFileName(file)));
        }
        return copy;
    }

    private static async Task<(int Exit, string Output)> CheckDeployAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Root, "scripts", "check-deploy.sh"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5)); // the first run installs the tools with npm
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"k8s: (\d+) documents")]
    private static partial Regex KubernetesSummary();

    [GeneratedRegex(@"__\d+$")]
    private static partial Regex ListIndex();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex Token();
}
