package io.edgewave.operator.kube;

import io.edgewave.operator.rollout.NodeClassifier;
import io.edgewave.operator.rollout.ReleaseObserver;
import io.edgewave.operator.rollout.PrePullMethod;
import io.edgewave.operator.api.v1alpha1.StagingMethod;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.edgewave.operator.rollout.RolloutDecider;
import io.edgewave.operator.rollout.Approvals;
import io.edgewave.operator.rollout.RolloutInput;
import io.edgewave.operator.rollout.RolloutDecision;
import io.edgewave.operator.rollout.EdgeReleaseStatusAggregator;
import io.edgewave.operator.rollout.FleetCache;
import io.edgewave.operator.rollout.Labels;
import io.edgewave.operator.rollout.NodeView;
import io.edgewave.operator.rollout.Progress;
import io.edgewave.operator.rollout.Transition;
import io.edgewave.operator.rollout.WaveRoster;
import io.edgewave.operator.spec.EdgeReleaseValidator;
import io.edgewave.operator.spec.WorkloadRevision;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.fleet.FleetFacts;
import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.edgewave.operator.plan.PlanException;
import io.edgewave.operator.plan.WavePlan;
import io.edgewave.operator.plan.WavePlanner;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.edgewave.operator.api.v1alpha1.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * observe -> decide -> act -> write status once. Generation-aware filtering is off because approvals arrive as an
 * annotation, which does not bump metadata.generation. Deletions reach reconcile too (no finalizer): what the release
 * made that nothing garbage-collects, its cluster-scoped ImagePrePullJobs, is deleted then.
 */
@ControllerConfiguration(name = "edgerelease", generationAwareEventProcessing = false,
    triggerReconcilerOnAllEvents = true)
public class EdgeReleaseReconciler implements Reconciler<EdgeRelease> {
  private static final Logger log = LoggerFactory.getLogger(EdgeReleaseReconciler.class);
  /** While ingest is degraded, look again this often so the condition clears soon after it recovers. */
  static final Duration DEGRADED_RECHECK = Duration.ofSeconds(2);
  /** After the API refused a Deployment, try again this often (not in a hot loop). */
  static final Duration REJECTED_RECHECK = Duration.ofSeconds(30);
  /** While an ImagePrePullJob pulls, look again this often: jobs raise no events the operator watches. */
  static final Duration JOB_RECHECK = Duration.ofSeconds(10);
  /** Jobs of releases deleted while the operator was down are looked for this often. */
  static final Duration SWEEP_EVERY = Duration.ofMinutes(5);

  /** Tuning that is the operator's, not the release's. */
  /**
   * @param siteLabel the Node label that names a node's site ({@code --site-label}), for judging blame by site
   * @param notifyDefaults where notifications of a release without {@code edgewave.io/notify} go
   *     ({@code --notify-webhooks}): only with a destination are its events recorded
   */
  public record Settings(int writeBudget, Duration resync, String siteLabel, List<String> notifyDefaults) {
    public static final Settings DEFAULTS = new Settings(200, Duration.ofMinutes(5));

    public Settings {
      notifyDefaults = List.copyOf(notifyDefaults);
    }

    public Settings(int writeBudget, Duration resync, String siteLabel) {
      this(writeBudget, resync, siteLabel, List.of());
    }

    public Settings(int writeBudget, Duration resync) {
      this(writeBudget, resync, NodeClassifier.SITE_LABEL);
    }
  }

  private final Clock clock;
  private final Settings settings;
  private final FleetSources sources = new FleetSources();
  private final RevisionHistory history;
  private final NodeWriter writer;
  private final ReleaseEvents events;
  private final RosterStore rosters;
  private final KubernetesClient client;
  private final Instant startedAt;
  private volatile Instant swept;

  private final EdgewaveMetrics metrics;

  public EdgeReleaseReconciler(KubernetesClient client, Clock clock, Settings settings) {
    this(client, clock, settings, new EdgewaveMetrics());
  }

  private final FleetFacts facts;

  public EdgeReleaseReconciler(KubernetesClient client, Clock clock, Settings settings, EdgewaveMetrics metrics) {
    this(client, clock, settings, metrics, new FleetFacts());
  }

  /** @param facts the edge probes' latest facts, for preflight rules and gates */
  public EdgeReleaseReconciler(KubernetesClient client, Clock clock, Settings settings, EdgewaveMetrics metrics,
      FleetFacts facts) {
    this.facts = facts;
    this.metrics = metrics;
    this.clock = clock;
    this.settings = settings;
    this.history = new RevisionHistory(client);
    this.writer = new NodeWriter(client, history, sources, clock);
    this.events = new ReleaseEvents(client, clock);
    this.rosters = new RosterStore(client);
    this.client = client;
    this.startedAt = clock.instant();
  }

  /** Missing facts prove nothing before the operator has listened for a while: since it started or subscribed. */
  private Instant factsSince() {
    Instant listening = facts.since();
    return listening == null || listening.isBefore(startedAt) ? startedAt : listening;
  }

  /** The informer caches this reconciler reads, for the dashboard. */
  public FleetCache cache() { return sources; }

  @Override
  public List<EventSource<?, EdgeRelease>> prepareEventSources(EventSourceContext<EdgeRelease> context) {
    return sources.create(context);
  }

  @Override
  public UpdateControl<EdgeRelease> reconcile(EdgeRelease er, Context<EdgeRelease> context) {
    Instant now = clock.instant();
    String name = er.getMetadata().getNamespace() + "/" + er.getMetadata().getName();
    if (context.isPrimaryResourceDeleted()) {
      // its Deployments and pre-pull pods are owned by it; its jobs are cluster-scoped and cannot be
      int deleted = writer.prePullJobs().served() ? writer.prePullJobs().deleteOf(er.getMetadata().getNamespace(),
          er.getMetadata().getName()) : 0;
      if (deleted > 0) log.info("{}: deleted; removed its {} ImagePrePullJobs", name, deleted);
      sources.staging(er, Map.of());
      return UpdateControl.noUpdate();
    }
    long generation = Objects.requireNonNullElse(er.getMetadata().getGeneration(), 0L);
    EdgeReleaseStatus previous = er.getStatus();

    List<io.fabric8.kubernetes.api.model.Pod> pods = sources.pods(er);
    var observed = ReleaseObserver.observe(er, sources.nodes(), sources.deployments(er), pods);
    var validation = EdgeReleaseValidator.validate(er.getSpec());
    String invalid = validation.valid() ? null : validation.message();
    if (invalid == null) invalid = Labels.nameProblem(er.getMetadata().getName());
    WavePlan plan = null;
    Progress progress = EdgeReleaseStatusAggregator.progressOf(previous);
    PodTemplateSpec template = invalid == null ? er.getSpec().getWorkload().getTemplate() : null;
    String revision = template == null ? null : WorkloadRevision.of(template);
    WaveRoster roster = null;
    if (invalid == null) {
      roster = rosters.read(er);
      Set<String> planned = new HashSet<>();
      if (progress != null && revision.equals(progress.revision())) progress.marks().forEach(m -> planned.add(m.name()));
      try {
        plan = WavePlanner.plan(validation.policy(), observed.nodes(), name,
            WaveRoster.frozenFor(roster, progress, revision), planned);
      } catch (PlanException e) {
        invalid = e.getMessage();
      }
    }
    if (invalid != null) return invalid(er, context, invalid, previous, generation, now);

    int historyLimit = Objects.requireNonNullElse(er.getSpec().getWorkload().getRevisionHistoryLimit(), RevisionHistory.DEFAULT_LIMIT);
    history.record(er, revision, template, historyLimit, ReleaseObserver.revisionsInUse(observed.deployments()));

    Map<String, NodeView> targets = new HashMap<>(plan.size() * 2);
    for (var t : plan.targets()) targets.put(t.name(), observed.views().get(t.name()));
    Map<String, NodeView> outside = new HashMap<>();
    for (String node : observed.deployments().keySet()) {
      if (!targets.containsKey(node) && observed.views().containsKey(node)) outside.put(node, observed.views().get(node));
    }
    Map<String, String> annotations = er.getMetadata().getAnnotations() == null ? Map.of() : er.getMetadata().getAnnotations();
    // approvals and aborts name a rollout attempt; a revision that starts a new attempt now has none yet
    String attempt = progress != null && revision.equals(progress.revision()) ? progress.attempt() : null;
    String degraded = facts.ingestDegraded();
    var staging = validation.policy().strategy().staging();
    PrePullMethod.Choice method = null;
    if (staging != null) {
      boolean served = staging.method() != StagingMethod.Pod && writer.prePullJobs().served();
      method = PrePullMethod.choose(staging.method(), served, PrePullPods.images(template),
          template.getSpec().getImagePullSecrets() == null ? 0 : template.getSpec().getImagePullSecrets().size());
      // a release that halted or rolls back stages nothing more: a method that cannot be used must not stall it
      boolean stopped = progress != null && revision.equals(progress.revision())
          && progress.phase() != null && progress.phase().stopped();
      if (method.problem() != null && !stopped) {
        return invalid(er, context, method.problem(), previous, generation, now);
      }
    }
    // a release whose staging was switched off (or moved to pods) still has the jobs it made: they are read to go
    boolean hadJobs = previous != null && PrePullMethod.JOB.equals(previous.getStagingMethod());
    List<GenericKubernetesResource> allJobs = jobsToRead(staging != null, hadJobs, now);
    List<GenericKubernetesResource> jobs = PrePullJobs.of(allJobs, er.getMetadata().getNamespace(),
        er.getMetadata().getName());
    StagingRound stagingRound = StagingRound.read(writer.prePulls(), er, staging, revision, pods, jobs,
        observed.views(), now);
    RolloutDecision decision = RolloutDecider.decide(new RolloutInput(now, revision, validation.policy(), plan, targets,
        progress, Approvals.wavesApproved(annotations.get(Labels.APPROVE), attempt), settings.writeBudget(),
        facts.view(), Approvals.abort(annotations.get(Labels.ABORT), attempt), degraded, factsSince(), roster,
        outside, progress != null && progress.phase() == Phase.RollingBack ? history.revisions(er) : null,
        settings.siteLabel(), NodeClassifier.siteEvidence(observed.views().values(), facts.view(), revision,
            settings.siteLabel()), stagingRound.stages()));
    sources.staging(er, decision.staging());

    if (decision.roster() != null) {
      try {
        rosters.write(er, decision.roster());
      } catch (KubernetesClientException e) {
        // no node of a wave moves before its membership is on record
        log.info("{}: could not record wave membership ({}); trying again", name, e.getMessage());
        return UpdateControl.<EdgeRelease>noUpdate().rescheduleAfter(Duration.ofSeconds(1));
      }
    }
    NodeWriter.Outcome wrote = writer.apply(er, revision, decision.progress().attempt(), template,
        decision.actions(), observed.deployments(), now, method != null && method.jobs(), stagingRound.nextAttempts());
    for (String node : wrote.markedReady()) {
      Duration down = io.edgewave.operator.rollout.SwitchTime.of(observed.views().get(node), now);
      // with staging no node switches before its images are there (its pre-pull object may be cleaned up by now)
      if (down != null) metrics.nodeSwitched(er.getMetadata().getNamespace(), er.getMetadata().getName(),
          staging != null, down);
    }
    Set<String> onRevision = new HashSet<>();
    observed.views().forEach((node, v) -> { if (revision.equals(v.revision())) onRevision.add(node); });
    int jobsLeft = stagingRound.afterDecision(writer, er, decision.phase(), onRevision, targets.keySet(),
        settings.writeBudget() - decision.actions().size());
    sweepJobs(allJobs, now);
    int conflicts = wrote.conflicts();
    String rejected = wrote.rejected() == 0 ? null : wrote.rejected() + " Deployment writes refused by the API server; "
        + wrote.firstRejection();
    if (rejected != null && !rejected.equals(conditionMessage(previous, Condition.WRITE_REJECTED))) {
      log.info("{}: {}", name, rejected);
      events.emit(er, new Transition("DeploymentRejected", rejected, true));
    }
    for (Transition t : decision.transitions()) {
      log.info("{} revision {}: {}", name, revision, t.message());
      events.emit(er, t);
    }
    Duration requeue = conflicts > 0 ? Duration.ofSeconds(1) : decision.requeueAfter();
    if (rejected != null && (requeue == null || requeue.compareTo(REJECTED_RECHECK) > 0)) requeue = REJECTED_RECHECK;
    if (degraded != null && (requeue == null || requeue.compareTo(DEGRADED_RECHECK) > 0)) requeue = DEGRADED_RECHECK;
    if (stagingRound.jobsPulling() && (requeue == null || requeue.compareTo(JOB_RECHECK) > 0)) requeue = JOB_RECHECK;
    EdgeReleaseStatus next = EdgeReleaseStatusAggregator.aggregate(decision, previous, generation, now, degraded,
        rejected, facts.watched());
    // staging switched off with jobs not yet deleted (the API refused): still the record that they are to be read
    next.setStagingMethod(method != null ? method.method() : hadJobs && jobsLeft > 0 ? PrePullMethod.JOB : null);
    return status(er, context, next, requeue);
  }

  private UpdateControl<EdgeRelease> invalid(EdgeRelease er, Context<EdgeRelease> context, String invalid,
      EdgeReleaseStatus previous, long generation, Instant now) {
    sources.staging(er, Map.of());
    if (previous == null || previous.getPhase() != Phase.Invalid || !invalid.equals(previous.getMessage())) {
      log.info("{}/{}: spec is invalid: {}", er.getMetadata().getNamespace(), er.getMetadata().getName(), invalid);
      events.emit(er, new Transition("InvalidSpec", invalid, true));
    }
    return status(er, context, EdgeReleaseStatusAggregator.invalid(invalid, previous, generation, now), null);
  }

  /**
   * The ImagePrePullJobs to read, fresh from the API (they raise no events here): on a cluster that serves them, on
   * every reconcile of a staged release, and every {@link #SWEEP_EVERY} for the sweep of deleted releases' jobs.
   */
  private List<GenericKubernetesResource> jobsToRead(boolean staged, boolean hadJobs, Instant now) {
    Instant last = swept;
    boolean sweepDue = last == null || !now.isBefore(last.plus(SWEEP_EVERY));
    if (!(staged || hadJobs || sweepDue) || !writer.prePullJobs().served()) return List.of();
    try {
      return writer.prePullJobs().list();
    } catch (KubernetesClientException e) {
      // a staged release never decides without its jobs: it would take their nodes for unstaged and stage them again,
      // over the site budget; the error reaches status and JOSDK retries
      if (staged) throw e;
      log.debug("could not list ImagePrePullJobs for the sweep: {}", e.getMessage());
      return List.of();
    }
  }

  /**
   * Deletes, now and then, jobs of releases that no longer exist (deleted while the operator was down) or no longer
   * stage (staging switched off while a status write was lost).
   */
  private void sweepJobs(List<GenericKubernetesResource> all, Instant now) {
    Instant last = swept;
    if (last != null && now.isBefore(last.plus(SWEEP_EVERY))) return;
    swept = now;
    if (all.isEmpty() || sources.releases().isEmpty()) return; // an informer not synced yet knows no release
    Set<String> existing = new HashSet<>();
    for (EdgeRelease r : sources.releases()) {
      boolean stages = r.getSpec() != null && r.getSpec().getStrategy() != null
          && r.getSpec().getStrategy().getStaging() != null;
      if (stages) existing.add(r.getMetadata().getNamespace() + "/" + r.getMetadata().getName());
    }
    int deleted = writer.prePullJobs().sweep(all, existing);
    if (deleted > 0) log.info("deleted {} ImagePrePullJobs of releases that no longer exist or stage", deleted);
  }

  private static String conditionMessage(EdgeReleaseStatus s, String type) {
    if (s == null || s.getConditions() == null) return null;
    return s.getConditions().stream().filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .map(Condition::getMessage).findFirst().orElse(null);
  }

  /**
   * An exception nothing above expected still reaches status (condition ReconcileError), so `kubectl get er` never
   * keeps showing an old phase as if all were well; JOSDK then retries with its backoff.
   */
  @Override
  public ErrorStatusUpdateControl<EdgeRelease> updateErrorStatus(EdgeRelease er, Context<EdgeRelease> context,
      Exception e) {
    String message = e.getClass().getSimpleName() + ": " + (e.getMessage() == null ? "" : e.getMessage());
    if (message.length() > 500) message = message.substring(0, 500) + "...";
    log.warn("{}/{}: reconcile failed: {}", er.getMetadata().getNamespace(), er.getMetadata().getName(), message);
    // fenced like every status write: the latest object, its resourceVersion, one condition added; a newer
    // leader's status is never replaced by what this reconcile read before it failed
    try {
      EdgeRelease latest = client.resources(EdgeRelease.class).inNamespace(er.getMetadata().getNamespace())
          .withName(er.getMetadata().getName()).get();
      if (latest == null) return ErrorStatusUpdateControl.noStatusUpdate();
      EdgeReleaseStatus s = latest.getStatus() == null ? new EdgeReleaseStatus() : latest.getStatus();
      List<Condition> conditions = new java.util.ArrayList<>(s.getConditions() == null ? List.of() : s.getConditions());
      conditions.removeIf(c -> Condition.RECONCILE_ERROR.equals(c.getType()));
      Condition c = new Condition(Condition.RECONCILE_ERROR, true, "ReconcileError", message);
      c.setLastTransitionTime(clock.instant().toString());
      conditions.add(c);
      s.setConditions(conditions);
      latest.setStatus(s);
      client.resources(EdgeRelease.class).inNamespace(er.getMetadata().getNamespace()).resource(latest).updateStatus();
    } catch (KubernetesClientException again) {
      log.debug("{}: could not record the error in status: {}", er.getMetadata().getName(), again.getMessage());
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * Writes status only when it changed, with the resourceVersion that was read: a reconcile that worked from a
   * stale cache (or a replica that lost the Lease) gets a 409 and runs again on fresh state. The written object
   * goes into the cache at once, so the next reconcile never sees the status from before it.
   */
  private UpdateControl<EdgeRelease> status(EdgeRelease er, Context<EdgeRelease> context, EdgeReleaseStatus next,
      Duration requeue) {
    metrics.reconciled();
    metrics.release(er.getMetadata().getNamespace(), er.getMetadata().getName(), next);
    // a deleted release has no reconcile of its own: its series go when any other release is reconciled
    Set<String> existing = new HashSet<>();
    for (EdgeRelease r : sources.releases()) existing.add(r.getMetadata().getNamespace() + "/" + r.getMetadata().getName());
    existing.add(er.getMetadata().getNamespace() + "/" + er.getMetadata().getName());
    metrics.retainReleases(existing);
    Duration after = requeue == null || requeue.compareTo(settings.resync()) > 0 ? settings.resync() : requeue;
    if (after.isZero()) after = Duration.ofMillis(50);
    // release events go into this same write (the outbox): recorded exactly when the write that makes them true lands
    next.setNotices(ReleaseOutbox.record(er, next, clock.instant(), settings.notifyDefaults()));
    if (!Serialization.asJson(next).equals(Serialization.asJson(er.getStatus()))) {
      try {
        // One attempt with the resourceVersion this status was decided from. JOSDK's own helper retries a 409 by
        // re-applying the same status to the fresh object: a status decided on a stale view would then replace a
        // newer one. Here a conflict means "decide again from fresh state".
        EdgeRelease copy = Serialization.clone(er);
        copy.setStatus(next);
        EdgeRelease written = client.resources(EdgeRelease.class).inNamespace(er.getMetadata().getNamespace())
            .resource(copy).updateStatus();
        context.eventSourceRetriever().getControllerEventSource()
            .handleRecentResourceUpdate(ResourceID.fromResource(er), written, er);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
        log.debug("{}: status conflict, reconciling again", er.getMetadata().getName());
        after = Duration.ofMillis(200);
      }
    }
    return UpdateControl.<EdgeRelease>noUpdate().rescheduleAfter(after);
  }
}
