package dev.vpcflowlogs.recorder.console;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.config.RecorderProperties.User;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.SpringAuthorizationEventPublisher;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.ForwardAuthenticationFailureHandler;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may do what. Open: the health probes ({@code /actuator/health/**}, for the platform's probes) and, unless
 * {@code recorder.console.open-prometheus} is false, {@code /actuator/prometheus}. Everything else needs a user
 * (a login form for the console, HTTP Basic for tools), and every write ({@code POST} and the like) the operator role.
 * A write without credentials answers 401, a viewer's 403, whatever the page: both are logged (never the password)
 * and counted. The console's forms carry CSRF tokens; a request with its own credentials (HTTP Basic) needs none.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

    private static final Logger log = LoggerFactory.getLogger(ConsoleSecurity.class);
    static final String VIEWER = "VIEWER";
    static final String OPERATOR = "OPERATOR";
    static final String LOGIN_FAILED = "/login/failed";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    /**
     * The configured users, or (none configured) one operator with a password generated now and printed once: a
     * recorder is never open, and the local run can be logged into.
     */
    @Bean
    UserDetailsService consoleUsers(RecorderProperties properties, PasswordEncoder encoder) {
        List<UserDetails> users = new ArrayList<>();
        for (User u : properties.console().users()) {
            String hash = u.password().startsWith("{bcrypt}") ? u.password().substring(8) : u.password();
            users.add(org.springframework.security.core.userdetails.User.withUsername(u.name())
                    .password(hash)
                    .roles(u.role() == User.Role.OPERATOR ? new String[] {VIEWER, OPERATOR} : new String[] {VIEWER})
                    .build());
        }
        if (users.isEmpty()) {
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            users.add(org.springframework.security.core.userdetails.User.withUsername("operator")
                    .password(encoder.encode(password))
                    .roles(VIEWER, OPERATOR)
                    .build());
            log.warn(
                    "No console user is configured (recorder.console.users): log in as operator with the generated"
                            + " password {} (it changes at every start).",
                    password);
        }
        return new InMemoryUserDetailsManager(users);
    }

    @Bean
    SecurityFilterChain consoleChain(HttpSecurity http, RecorderProperties properties, MeterRegistry meters)
            throws Exception {
        boolean openPrometheus = properties.console().openPrometheus();
        RequestMatcher write = request -> !SAFE.contains(request.getMethod());
        RequestMatcher page = request -> {
            String accept = request.getHeader("Accept");
            return !write.matches(request) && accept != null && accept.contains("text/html");
        };
        http.authorizeHttpRequests(auth -> {
                    auth.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                            .permitAll();
                    if (openPrometheus) {
                        auth.requestMatchers("/actuator/prometheus").permitAll();
                    }
                    auth.requestMatchers("/login", LOGIN_FAILED, "/webjars/**", "/console/**", "/favicon.ico", "/error")
                            .permitAll()
                            .requestMatchers(request -> (request.getRequestURI().equals("/login")
                                            || request.getRequestURI().equals("/logout"))
                                    && request.getMethod().equals("POST"))
                            .permitAll()
                            .requestMatchers(write)
                            .hasRole(OPERATOR)
                            .anyRequest()
                            .authenticated();
                })
                .formLogin(form -> form.loginPage("/login")
                        .defaultSuccessUrl("/", false)
                        // A wrong password answers 401 with the login page again, not a redirect.
                        .failureHandler(new ForwardAuthenticationFailureHandler(LOGIN_FAILED)))
                .httpBasic(basic -> basic.realmName("vpc-flowlogs-recorder"))
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                // Forms carry a token; a request that brings its own credentials is no cross-site forgery.
                .csrf(csrf -> csrf.requireCsrfProtectionMatcher(
                        request -> write.matches(request) && request.getHeader("Authorization") == null))
                .exceptionHandling(
                        e -> e.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), page)
                                .defaultAuthenticationEntryPointFor(basicEntryPoint(), request -> true)
                                .accessDeniedHandler(deniedHandler(meters)));
        return http.build();
    }

    private static BasicAuthenticationEntryPoint basicEntryPoint() {
        BasicAuthenticationEntryPoint entryPoint = new BasicAuthenticationEntryPoint();
        entryPoint.setRealmName("vpc-flowlogs-recorder");
        return entryPoint;
    }

    /**
     * Without credentials: 401 (a missing CSRF token included); with a role too small: 403. A refusal for want of a
     * CSRF token comes before any authorization, so it is counted and logged here; the others by {@link Audit}.
     */
    private static AccessDeniedHandler deniedHandler(MeterRegistry meters) {
        AccessDeniedHandler forbidden = new AccessDeniedHandlerImpl();
        HttpStatusEntryPoint unauthorized = new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED);
        return (request, response, denied) -> {
            Authentication who = SecurityContextHolder.getContext().getAuthentication();
            boolean anonymous = who == null || who instanceof AnonymousAuthenticationToken || !who.isAuthenticated();
            if (denied instanceof CsrfException) {
                meters.counter("recorder.console.denied", "who", anonymous ? "anonymous" : "user")
                        .increment();
                log.info(
                        "Refused {} {}: no valid CSRF token (a form of the console's own carries one).",
                        request.getMethod(),
                        request.getRequestURI());
            }
            if (anonymous) {
                unauthorized.commence(
                        request,
                        response,
                        new org.springframework.security.authentication.InsufficientAuthenticationException(
                                "no credentials"));
            } else {
                forbidden.handle(request, response, denied);
            }
        };
    }

    /** Logins and refusals, counted in {@code recorder.console.logins} and {@code recorder.console.denied}. */
    @Configuration(proxyBeanMethods = false)
    static class Audit {

        private final MeterRegistry meters;

        Audit(MeterRegistry meters) {
            this.meters = meters;
        }

        /** Spring Security publishes its authorization decisions only through such a publisher. */
        @Bean
        AuthorizationEventPublisher authorizationEvents(org.springframework.context.ApplicationEventPublisher events) {
            return new SpringAuthorizationEventPublisher(events);
        }

        @EventListener
        void onSuccess(AuthenticationSuccessEvent event) {
            meters.counter("recorder.console.logins", "result", "succeeded").increment();
        }

        @EventListener
        void onFailure(AbstractAuthenticationFailureEvent event) {
            meters.counter("recorder.console.logins", "result", "failed").increment();
            log.warn(
                    "Console login of {} refused ({}).",
                    event.getAuthentication().getName(),
                    event.getException().getClass().getSimpleName());
        }

        @EventListener
        void onDenied(AuthorizationDeniedEvent<?> event) {
            Authentication who = event.getAuthentication().get();
            boolean anonymous = who == null || who instanceof AnonymousAuthenticationToken;
            meters.counter("recorder.console.denied", "who", anonymous ? "anonymous" : "user")
                    .increment();
            String what = describe(event.getObject());
            if (anonymous) {
                log.info("Refused without credentials: {}.", what);
            } else {
                log.warn("Refused to {}: {}, whose roles do not allow it.", who.getName(), what);
            }
        }

        private static String describe(Object source) {
            if (source instanceof HttpServletRequest r) {
                return r.getMethod().toUpperCase(Locale.ROOT) + " " + r.getRequestURI();
            }
            return String.valueOf(source);
        }
    }
}
