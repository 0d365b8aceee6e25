package dev.posenc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.posenc.attention.AttentionEncodings;
import dev.posenc.attention.AttentionInputs;
import dev.posenc.attention.AttentionSpec;
import dev.posenc.attention.LinearAttention;
import dev.posenc.attention.PositionalSelfAttention;
import dev.posenc.attention.ReferenceAttention;
import dev.posenc.attention.RotaryQueryKey;
import dev.posenc.attention.StreamingAttention;
import dev.posenc.input.AdditiveInput;
import dev.posenc.input.ComplexOrderEmbedding;
import dev.posenc.input.LearnedPositions;
import dev.posenc.input.MultiplicativeInput;
import dev.posenc.input.RecurrentPositions;
import dev.posenc.input.RotationDynamics;
import dev.posenc.input.SinusoidLayout;
import dev.posenc.input.SinusoidalPositions;
import dev.posenc.logits.AlibiBias;
import dev.posenc.logits.AlibiForm;
import dev.posenc.logits.AttentionPositions;
import dev.posenc.logits.DebertaBuckets;
import dev.posenc.logits.DebertaRelative;
import dev.posenc.logits.FireBias;
import dev.posenc.logits.KerpleBias;
import dev.posenc.logits.ShawRelativeKeys;
import dev.posenc.logits.ShawRelativeValues;
import dev.posenc.logits.T5Buckets;
import dev.posenc.logits.T5RelativeBias;
import dev.posenc.logits.TransformerXlRelative;
import dev.posenc.querykey.CosSinCache;
import dev.posenc.querykey.CosSinOnTheFly;
import dev.posenc.querykey.DynamicRopeState;
import dev.posenc.querykey.HalfArithmetic;
import dev.posenc.querykey.HalfFloat;
import dev.posenc.querykey.HeadStrides;
import dev.posenc.querykey.RopeKernel;
import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RopePositions;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RotaryAxes;
import dev.posenc.querykey.RotaryEmbedding;
import dev.posenc.querykey.RotaryFrequencies;
import dev.posenc.querykey.RotaryPrecision;
import dev.posenc.querykey.XPos;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The null policy of posenc-core (docs/ARCHITECTURE.md, Conventions): every public constructor and method of
 * {@code querykey}, {@code input}, {@code logits} and {@code attention} rejects a null reference argument with a
 * {@link NullPointerException} whose message is the parameter's name, before any other check, except the
 * parameters whose Javadoc gives null a meaning ({@link #NULL_MEANS_ABSENT}), which accept it.
 *
 * <p>Found by reflection over the compiled classes, so a new public method is covered without editing this test;
 * a type the test has no sample of fails the test, naming it.
 */
class NullPolicyTest {
    private static final List<String> PACKAGES = List.of("querykey", "input", "logits", "attention");

    /** {@code Type#member(parameter)}: the parameters whose Javadoc says what null means. */
    private static final Set<String> NULL_MEANS_ABSENT = Set.of(
            // "null means none there", for each of the five places an encoding acts
            "AttentionEncodings#<init>(input)", "AttentionEncodings#<init>(queryKey)",
            "AttentionEncodings#<init>(logitTerm)", "AttentionEncodings#<init>(bias)",
            "AttentionEncodings#<init>(values)",
            "AttentionEncodings#ofInput(input)", "AttentionEncodings#ofQueryKey(queryKey)",
            "AttentionEncodings#ofLogitTerm(logitTerm)", "AttentionEncodings#ofBias(bias)",
            "AttentionEncodings#withInput(input)", "AttentionEncodings#withQueryKey(queryKey)",
            "AttentionEncodings#withLogitTerm(logitTerm)", "AttentionEncodings#withBias(bias)",
            "AttentionEncodings#withValues(values)",
            // DeBERTa's c2p and p2c terms are each optional
            "DebertaRelative#<init>(positionKeys)", "DebertaRelative#<init>(positionQueries)",
            // linear attention without a query/key encoding
            "LinearAttention#<init>(encoding)");

    private static final int HEADS = 2;
    private static final int HEAD_DIM = 8;

    /** One or more instances of every public type whose methods take references, and of every parameter type. */
    private static List<Object> samples() {
        RopeSpec spec = new RopeSpec(HEAD_DIM, HEAD_DIM, RopeLayout.HALF, 10000, 64, new RopeScaling.Default());
        RotaryFrequencies frequencies = spec.frequencies();
        CosSinCache cache = CosSinCache.of(frequencies, 0, 64);
        RotaryEmbedding rope = RotaryEmbedding.of(cache);
        SinusoidalPositions sinusoid = SinusoidalPositions.vaswani(HEAD_DIM);
        AttentionSpec attention = AttentionSpec.of(HEADS, HEADS, HEAD_DIM, true);
        T5Buckets t5 = new T5Buckets(8, 32, false);
        DebertaBuckets deberta = new DebertaBuckets(4, 8);
        int debertaRows = 2 * deberta.attentionSpan() * HEADS * HEAD_DIM;
        float[] fireHidden = new float[4];
        List<Object> samples = new ArrayList<>(List.<Object>of(
                spec, frequencies, cache, CosSinOnTheFly.of(frequencies), rope,
                new DynamicRopeState(new RopeSpec(HEAD_DIM, HEAD_DIM, RopeLayout.HALF, 10000, 64,
                        new RopeScaling.Dynamic(2))),
                HeadStrides.tokenMajor(HEADS, HEAD_DIM), RopePositions.startingAt(0), RotaryAxes.mrope(1, 2, 1),
                new XPos(512, 0), RopeKernel.scalar(), RotaryPrecision.EXACT, RopeLayout.HALF,
                new RopeScaling.Default(), new RopeScaling.Dynamic(2), new RopeScaling.Ntk(2), OptionalDouble.empty(),
                MemorySegment.ofArray(new float[64]), HalfFloat.BFLOAT16, HalfArithmetic.FLOAT32, new short[64],
                (Executor) Runnable::run,
                sinusoid, new LearnedPositions(4, HEAD_DIM, new float[4 * HEAD_DIM]),
                RecurrentPositions.ofSinusoid(sinusoid, 2), new RotationDynamics(new double[] {1}, SinusoidLayout.INTERLEAVED),
                SinusoidLayout.INTERLEAVED, new AdditiveInput(sinusoid), new MultiplicativeInput(sinusoid),
                new ComplexOrderEmbedding(4, 2, new float[8], new float[8], new float[8]),
                AlibiBias.causal(HEADS), AlibiForm.KEY_POSITION, new AttentionPositions(2, 2, 0), t5,
                new T5RelativeBias(t5, HEADS, new float[8 * HEADS]), deberta,
                new DebertaRelative(deberta, HEADS, HEAD_DIM, new float[debertaRows], new float[debertaRows]),
                new KerpleBias(KerpleBias.Kind.LOG, new double[] {1, 1}, new double[] {1, 1}),
                new FireBias(HEADS, fireHidden, fireHidden, new float[4 * HEADS], new float[HEADS], 1, 512),
                new ShawRelativeKeys(2, HEAD_DIM, new float[5 * HEAD_DIM]),
                new ShawRelativeValues(2, HEAD_DIM, new float[5 * HEAD_DIM]),
                new TransformerXlRelative(HEADS, HEAD_DIM, 4, new float[HEADS * HEAD_DIM],
                        new float[HEADS * HEAD_DIM], new float[HEADS * HEAD_DIM * 4]),
                attention, AttentionEncodings.none(), new RotaryQueryKey(rope),
                AttentionInputs.selfAttention(new float[2 * HEADS * HEAD_DIM], new float[2 * HEADS * HEAD_DIM],
                        new float[2 * HEADS * HEAD_DIM], 2),
                new ReferenceAttention(attention, AttentionEncodings.none()),
                new StreamingAttention(attention, AttentionEncodings.none()),
                new LinearAttention(AttentionSpec.of(HEADS, HEADS, HEAD_DIM, false), null),
                new PositionalSelfAttention(attention, AttentionEncodings.none(), HEAD_DIM,
                        new float[HEAD_DIM * HEADS * HEAD_DIM], new float[HEAD_DIM * HEADS * HEAD_DIM],
                        new float[HEAD_DIM * HEADS * HEAD_DIM], PositionalSelfAttention.Kernel.REFERENCE),
                KerpleBias.Kind.LOG, PositionalSelfAttention.Kernel.REFERENCE,
                new ShawRelativeKeys(2, HEAD_DIM, new float[5 * HEAD_DIM]).prepare(0, new float[2 * HEAD_DIM],
                        new float[2 * HEAD_DIM], new AttentionPositions(2, 2, 0)),
                "", new float[64], new double[64], new int[] {0, 1}, new int[][] {{0, 1}}, new float[][] {{0}}));
        return samples;
    }

    @Test
    void everyReferenceParameterRejectsNullByName() throws Exception {
        List<Object> samples = samples();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Class<?> type : publicTypes()) {
            for (Executable e : publicExecutables(type)) {
                Parameter[] parameters = e.getParameters();
                for (int p = 0; p < parameters.length; p++) {
                    if (parameters[p].getType().isPrimitive()) {
                        continue;
                    }
                    String where = type.getSimpleName() + "#" + (e instanceof Constructor ? "<init>" : e.getName())
                            + "(" + parameters[p].getName() + ")";
                    List<Object> receivers = e instanceof Method m && !Modifier.isStatic(m.getModifiers())
                            ? samples.stream().filter(type::isInstance).toList()
                            : java.util.Collections.singletonList(null);
                    if (receivers.isEmpty()) {
                        problems.add(where + ": no sample of " + type.getName());
                        continue;
                    }
                    for (Object receiver : receivers) {
                        Object[] args = new Object[parameters.length];
                        for (int a = 0; a < args.length; a++) {
                            Class<?> t = parameters[a].getType();
                            args[a] = a == p ? null : t.isPrimitive() ? primitive(t) : sample(t, samples, problems, where);
                        }
                        Throwable thrown = invoke(e, receiver, args);
                        String outcome = thrown == null ? "returned" : thrown.getClass().getSimpleName() + ": "
                                + thrown.getMessage();
                        if (NULL_MEANS_ABSENT.contains(where)) {
                            if (thrown instanceof NullPointerException) {
                                problems.add(where + " is documented to accept null, but: " + outcome);
                            }
                        } else if (!(thrown instanceof NullPointerException)
                                || !parameters[p].getName().equals(thrown.getMessage())) {
                            problems.add(where + " on " + (receiver == null ? "-" : receiver.getClass().getSimpleName())
                                    + ": expected NullPointerException(\"" + parameters[p].getName() + "\"), got "
                                    + outcome);
                        }
                        checked++;
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " violations of the null policy:\n" + String.join("\n", problems));
        }
        assertTrue(checked > 100, "the reflection found the public API: " + checked + " null arguments tried");
    }

    @Test
    void parameterNamesAreCompiledIn() throws NoSuchMethodException {
        assertEquals("cosSin", RotaryEmbedding.class.getMethod("of", dev.posenc.querykey.CosSinSource.class)
                .getParameters()[0].getName(), "the compiler runs with -parameters, or the names above are arg0..");
    }

    private static Object sample(Class<?> type, List<Object> samples, List<String> problems, String where) {
        for (Object s : samples) {
            if (type.isInstance(s)) {
                return s;
            }
        }
        problems.add(where + ": no sample of " + type.getName());
        return null;
    }

    /** A valid value of every primitive parameter type: the null checks must come before any other. */
    private static Object primitive(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 1;
        }
        if (type == long.class) {
            return 1L;
        }
        if (type == float.class) {
            return 1f;
        }
        if (type == double.class) {
            return 1.0;
        }
        throw new IllegalArgumentException("no default for " + type);
    }

    /** What the call threw, or null if it returned. */
    private static Throwable invoke(Executable e, Object receiver, Object[] args) throws IllegalAccessException,
            InstantiationException {
        try {
            if (e instanceof Constructor<?> c) {
                c.newInstance(args);
            } else {
                ((Method) e).invoke(receiver, args);
            }
            return null;
        } catch (InvocationTargetException thrown) {
            return thrown.getCause();
        }
    }

    /** Public constructors and methods declared by {@code type} (not equals, not an enum's implicit valueOf). */
    private static List<Executable> publicExecutables(Class<?> type) {
        List<Executable> list = new ArrayList<>();
        if (!Modifier.isAbstract(type.getModifiers())) {
            list.addAll(List.of(type.getConstructors()));
        }
        for (Method m : type.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic() || m.isBridge()) {
                continue;
            }
            boolean equals = m.getName().equals("equals") && m.getParameterCount() == 1;
            boolean implicitValueOf = type.isEnum() && m.getName().equals("valueOf") && m.getParameterCount() == 1;
            if (!equals && !implicitValueOf) {
                list.add(m);
            }
        }
        return list;
    }

    /** The public top-level and public nested types of {@link #PACKAGES}, from the compiled classes. */
    private static List<Class<?>> publicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(RotaryEmbedding.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> types = new ArrayList<>();
        for (String pkg : PACKAGES) {
            Path dir = classes.resolve("dev/posenc/" + pkg);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (!name.endsWith(".class") || name.equals("package-info.class")) {
                        continue;
                    }
                    Class<?> type = Class.forName("dev.posenc." + pkg + "." + name.substring(0, name.length() - 6),
                            false, RotaryEmbedding.class.getClassLoader());
                    if (isPublicApi(type)) {
                        types.add(type);
                    }
                }
            }
        }
        assertTrue(types.size() > 40, "found the public types: " + types);
        return types;
    }

    private static boolean isPublicApi(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) {
                return false;
            }
        }
        return true;
    }
}
