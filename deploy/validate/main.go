// Command validate-manifests checks the Kubernetes manifests that `helm template` renders, without
// a cluster and without downloaded JSON schemas (none can be fetched here):
//
//  1. Each document is decoded strictly into the Go type of its apiVersion/kind from k8s.io/api (the
//     same types the API server decodes into): an unknown or misspelt field, a duplicate field, a
//     value of the wrong type or an unknown kind is an error.
//  2. Each object's metadata passes apimachinery's own name and label validation.
//  3. Cross-object rules the chart must keep: selectors match the pod labels; the Service's
//     targetPort, the probes' ports name a container port; HPA and PDB point at the Deployment; every
//     ConfigMap/Secret/ServiceAccount the pod uses is rendered or named as external; every container
//     has requests, limits, readiness and liveness probes, and runs as non-root.
//
// Usage: helm template ... | validate-manifests [-external-secret NAME]... [-external-sa NAME]...
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
)

type names []string

func (n *names) String() string     { return strings.Join(*n, ",") }
func (n *names) Set(v string) error { *n = append(*n, v); return nil }

type rendered struct {
	deployments []*appsv1.Deployment
	services    []*corev1.Service
	hpas        []*autoscalingv2.HorizontalPodAutoscaler
	pdbs        []*policyv1.PodDisruptionBudget
	configMaps  map[string]bool
	secrets     map[string]bool
	accounts    map[string]bool
	kinds       map[string]int
	problems    []string
}

func (r *rendered) fail(format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

func main() {
	var externalSecrets, externalAccounts names
	flag.Var(&externalSecrets, "external-secret", "a Secret the chart references but does not render (repeatable)")
	flag.Var(&externalAccounts, "external-sa", "a ServiceAccount the chart references but does not render (repeatable)")
	flag.Parse()

	r := &rendered{configMaps: map[string]bool{}, secrets: map[string]bool{}, accounts: map[string]bool{"default": true}, kinds: map[string]int{}}
	for _, s := range externalSecrets {
		r.secrets[s] = true
	}
	for _, a := range externalAccounts {
		r.accounts[a] = true
	}
	if err := decodeAll(os.Stdin, r); err != nil {
		fmt.Fprintln(os.Stderr, "validate-manifests:", err)
		os.Exit(1)
	}
	r.crossCheck()
	summary := make([]string, 0, len(r.kinds))
	for kind, n := range r.kinds {
		summary = append(summary, fmt.Sprintf("%s=%d", kind, n))
	}
	if len(r.problems) > 0 {
		for _, p := range r.problems {
			fmt.Fprintln(os.Stderr, "validate-manifests:", p)
		}
		os.Exit(1)
	}
	fmt.Printf("validate-manifests: ok (%s)\n", strings.Join(sortStrings(summary), " "))
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

func decodeAll(in io.Reader, r *rendered) error {
	// Strict: unknown and duplicate fields are errors, as with kubectl's --validate=strict.
	decoder := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()
	reader := utilyaml.NewYAMLReader(bufio.NewReader(in))
	for index := 0; ; index++ {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("document %d: %w", index, err)
		}
		if len(bytes.TrimSpace(stripComments(doc))) == 0 {
			continue
		}
		obj, gvk, err := decoder.Decode(doc, nil, nil)
		if err != nil {
			r.fail("document %d (%s): %v", index, sourceOf(doc), err)
			continue
		}
		r.kinds[gvk.Kind]++
		r.checkMeta(gvk.Kind, obj)
		switch o := obj.(type) {
		case *appsv1.Deployment:
			r.deployments = append(r.deployments, o)
		case *corev1.Service:
			r.services = append(r.services, o)
		case *autoscalingv2.HorizontalPodAutoscaler:
			r.hpas = append(r.hpas, o)
		case *policyv1.PodDisruptionBudget:
			r.pdbs = append(r.pdbs, o)
		case *corev1.ConfigMap:
			r.configMaps[o.Name] = true
		case *corev1.Secret:
			r.secrets[o.Name] = true
		case *corev1.ServiceAccount:
			r.accounts[o.Name] = true
		default:
			r.fail("%s %s: a kind this chart is not expected to render", gvk.Kind, sourceOf(doc))
		}
	}
}

func stripComments(doc []byte) []byte {
	var out bytes.Buffer
	for _, line := range bytes.Split(doc, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) {
			out.Write(line)
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}

func sourceOf(doc []byte) string {
	for _, line := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(line, "# Source: ") {
			return strings.TrimPrefix(line, "# Source: ")
		}
	}
	return "?"
}

func (r *rendered) checkMeta(kind string, obj runtime.Object) {
	accessor, ok := obj.(metav1.Object)
	if !ok {
		r.fail("%s: no metadata", kind)
		return
	}
	errs := apivalidation.ValidateObjectMetaAccessor(accessor, false, apivalidation.NameIsDNSSubdomain, field.NewPath("metadata"))
	for _, e := range errs {
		r.fail("%s %s: %v", kind, accessor.GetName(), e)
	}
}

func (r *rendered) crossCheck() {
	if len(r.deployments) != 1 {
		r.fail("expected one Deployment, got %d", len(r.deployments))
		return
	}
	d := r.deployments[0]
	pod := d.Spec.Template
	selector, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil || selector.Empty() || !selector.Matches(labels.Set(pod.Labels)) {
		r.fail("Deployment %s: selector %v does not select its pod template's labels %v", d.Name, d.Spec.Selector, pod.Labels)
	}
	for _, e := range metav1validation.ValidateLabelSelector(d.Spec.Selector, metav1validation.LabelSelectorValidationOptions{}, field.NewPath("spec", "selector")) {
		r.fail("Deployment %s: %v", d.Name, e)
	}
	if !r.accounts[pod.Spec.ServiceAccountName] {
		r.fail("Deployment %s: serviceAccountName %q is neither rendered nor named with -external-sa", d.Name, pod.Spec.ServiceAccountName)
	}
	if psc := pod.Spec.SecurityContext; psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
		r.fail("Deployment %s: pod securityContext.runAsNonRoot is not true", d.Name)
	}
	ports := map[string]int32{}
	for _, c := range pod.Spec.Containers {
		for _, p := range c.Ports {
			ports[p.Name] = p.ContainerPort
		}
		r.checkContainer(d.Name, c, ports)
	}
	for _, v := range pod.Spec.Volumes {
		switch {
		case v.ConfigMap != nil && !r.configMaps[v.ConfigMap.Name]:
			r.fail("Deployment %s: volume %s uses ConfigMap %q, not rendered", d.Name, v.Name, v.ConfigMap.Name)
		case v.Secret != nil && !r.secrets[v.Secret.SecretName]:
			r.fail("Deployment %s: volume %s uses Secret %q, not rendered", d.Name, v.Name, v.Secret.SecretName)
		case v.Projected != nil:
			for _, s := range v.Projected.Sources {
				if s.Secret != nil && !r.secrets[s.Secret.Name] {
					r.fail("Deployment %s: volume %s uses Secret %q, neither rendered nor named with -external-secret", d.Name, v.Name, s.Secret.Name)
				}
			}
		}
	}
	for _, s := range r.services {
		if !labels.SelectorFromSet(s.Spec.Selector).Matches(labels.Set(pod.Labels)) || len(s.Spec.Selector) == 0 {
			r.fail("Service %s: selector %v does not select the Deployment's pods", s.Name, s.Spec.Selector)
		}
		for _, p := range s.Spec.Ports {
			if p.TargetPort.Type == intstr.String {
				if _, ok := ports[p.TargetPort.StrVal]; !ok {
					r.fail("Service %s: targetPort %q is no container port", s.Name, p.TargetPort.StrVal)
				}
			}
		}
	}
	for _, h := range r.hpas {
		ref := h.Spec.ScaleTargetRef
		if ref.Kind != "Deployment" || ref.Name != d.Name || ref.APIVersion != "apps/v1" {
			r.fail("HorizontalPodAutoscaler %s: scaleTargetRef %v is not the Deployment", h.Name, ref)
		}
		if h.Spec.MinReplicas == nil || *h.Spec.MinReplicas < 1 || h.Spec.MaxReplicas < *h.Spec.MinReplicas {
			r.fail("HorizontalPodAutoscaler %s: replica bounds %v..%d", h.Name, h.Spec.MinReplicas, h.Spec.MaxReplicas)
		}
		if d.Spec.Replicas != nil {
			r.fail("Deployment %s: sets replicas although an HPA owns the count (they would fight on every upgrade)", d.Name)
		}
	}
	for _, p := range r.pdbs {
		s, err := metav1.LabelSelectorAsSelector(p.Spec.Selector)
		if err != nil || s.Empty() || !s.Matches(labels.Set(pod.Labels)) {
			r.fail("PodDisruptionBudget %s: selector does not select the Deployment's pods", p.Name)
		}
		if (p.Spec.MinAvailable == nil) == (p.Spec.MaxUnavailable == nil) {
			r.fail("PodDisruptionBudget %s: needs exactly one of minAvailable and maxUnavailable", p.Name)
		}
	}
}

func (r *rendered) checkContainer(owner string, c corev1.Container, ports map[string]int32) {
	at := fmt.Sprintf("Deployment %s container %s", owner, c.Name)
	if c.Image == "" || !strings.Contains(c.Image, ":") {
		r.fail("%s: image %q has no tag", at, c.Image)
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
		r.fail("%s: needs cpu and memory requests and a memory limit", at)
	}
	for name, probe := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		if probe == nil || probe.HTTPGet == nil {
			r.fail("%s: no %s HTTP probe", at, name)
			continue
		}
		if p := probe.HTTPGet.Port; p.Type == intstr.String {
			if _, ok := ports[p.StrVal]; !ok {
				r.fail("%s: %s probe port %q is no container port", at, name, p.StrVal)
			}
		}
	}
	if c.ReadinessProbe != nil && c.ReadinessProbe.HTTPGet != nil && c.ReadinessProbe.HTTPGet.Path != "/readyz" {
		r.fail("%s: readiness probe path %q, expected /readyz", at, c.ReadinessProbe.HTTPGet.Path)
	}
	if c.LivenessProbe != nil && c.LivenessProbe.HTTPGet != nil && c.LivenessProbe.HTTPGet.Path != "/healthz" {
		r.fail("%s: liveness probe path %q, expected /healthz", at, c.LivenessProbe.HTTPGet.Path)
	}
	if sc := c.SecurityContext; sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		r.fail("%s: allowPrivilegeEscalation is not false", at)
	}
	for _, ef := range c.EnvFrom {
		if ef.SecretRef != nil && !r.secrets[ef.SecretRef.Name] {
			r.fail("%s: envFrom Secret %q is neither rendered nor named with -external-secret", at, ef.SecretRef.Name)
		}
	}
	for _, m := range c.VolumeMounts {
		if !m.ReadOnly && m.MountPath != "/tmp" {
			r.fail("%s: volume %s mounted writable at %s", at, m.Name, m.MountPath)
		}
	}
}
