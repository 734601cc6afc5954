package dev.vpcflowlogs.bench;

import io.awspring.cloud.sqs.listener.SqsMessageListenerContainer;
import io.awspring.cloud.sqs.listener.interceptor.MessageInterceptor;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * Added to the recorder under benchmark: notes when the listener container hands each alarm message to the
 * recorder (the moment it is received), keyed by gateway and state. Production code is unchanged.
 */
@Configuration(proxyBeanMethods = false)
class ReceiveProbe {

    private static final Pattern GATEWAY = Pattern.compile("\"NatGatewayId\"\\s*:\\s*\"(nat-[0-9a-f]+)\"");
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\\{\\s*\"value\"\\s*:\\s*\"(\\w+)\"");

    /** "nat-... ALARM" or "nat-... OK" to the first time it was received. */
    static final Map<String, Instant> RECEIVED = new ConcurrentHashMap<>();

    /** The same keys to the thread that received it (and goes on to handle it). */
    static final Map<String, String> THREAD = new ConcurrentHashMap<>();

    @Bean
    static BeanPostProcessor receiveProbeInstaller() {
        return new BeanPostProcessor() {
            @Override
            @SuppressWarnings("unchecked")
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof SqsMessageListenerContainer<?> container) {
                    ((SqsMessageListenerContainer<Object>) container).addMessageInterceptor(new MessageInterceptor<>() {
                        @Override
                        public Message<Object> intercept(Message<Object> message) {
                            Instant now = Instant.now();
                            String body = String.valueOf(message.getPayload());
                            Matcher gateway = GATEWAY.matcher(body);
                            Matcher state = STATE.matcher(body);
                            if (gateway.find() && state.find()) {
                                String key = gateway.group(1) + " " + state.group(1);
                                if (RECEIVED.putIfAbsent(key, now) == null) {
                                    THREAD.put(key, Thread.currentThread().getName());
                                }
                            }
                            return message;
                        }
                    });
                }
                return bean;
            }
        };
    }
}
