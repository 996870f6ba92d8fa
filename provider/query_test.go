package provider_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/provider"
)

func TestRadiusIsValid(t *testing.T) {
	cases := []struct {
		name string
		in   provider.Radius
		want bool
	}{
		{"10", 10, true},
		{"20", 20, true},
		{"25", 25, true},
		{"50", 50, true},
		{"100", 100, true},
		{"default", provider.DefaultRadius, true},
		{"zero", 0, false},
		{"15", 15, false},
		{"negative", -25, false},
		{"1000", 1000, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.in.IsValid(), "Radius(%d).IsValid()", int(tc.in))
		})
	}
}

func TestAreaQuery(t *testing.T) {
	cases := []struct {
		name  string
		in    provider.AreaQuery
		query string // "" when the query is invalid
		err   error
		param string
	}{
		{name: "default radius", in: provider.AreaQuery{ZipCode: "85004"}, query: "zip_code=85004&radius=25"},
		{name: "radius 10", in: provider.AreaQuery{ZipCode: "54650", Radius: 10}, query: "zip_code=54650&radius=10"},
		{name: "radius 20", in: provider.AreaQuery{ZipCode: "54650", Radius: 20}, query: "zip_code=54650&radius=20"},
		{name: "radius 25", in: provider.AreaQuery{ZipCode: "54650", Radius: 25}, query: "zip_code=54650&radius=25"},
		{name: "radius 50", in: provider.AreaQuery{ZipCode: "54650", Radius: 50}, query: "zip_code=54650&radius=50"},
		{name: "radius 100", in: provider.AreaQuery{ZipCode: "00501", Radius: 100}, query: "zip_code=00501&radius=100"},
		{name: "empty zip", in: provider.AreaQuery{}, err: provider.ErrInvalidZipCode, param: "zip_code"},
		{name: "four digits", in: provider.AreaQuery{ZipCode: "8500"}, err: provider.ErrInvalidZipCode, param: "zip_code"},
		{name: "six digits", in: provider.AreaQuery{ZipCode: "850041"}, err: provider.ErrInvalidZipCode, param: "zip_code"},
		{name: "zip+4", in: provider.AreaQuery{ZipCode: "85004-1234"}, err: provider.ErrInvalidZipCode, param: "zip_code"},
		{name: "letters", in: provider.AreaQuery{ZipCode: "8500A"}, err: provider.ErrInvalidZipCode, param: "zip_code"},
		{name: "spaces", in: provider.AreaQuery{ZipCode: " 8500"}, err: provider.ErrInvalidZipCode, param: "zip_code"},
		{name: "non-ascii digits", in: provider.AreaQuery{ZipCode: "８５００４"}, err: provider.ErrInvalidZipCode, param: "zip_code"},
		{name: "injection", in: provider.AreaQuery{ZipCode: "1&a=b"}, err: provider.ErrInvalidZipCode, param: "zip_code"},
		{name: "radius 15", in: provider.AreaQuery{ZipCode: "85004", Radius: 15}, err: provider.ErrInvalidRadius, param: "radius"},
		{name: "negative radius", in: provider.AreaQuery{ZipCode: "85004", Radius: -10}, err: provider.ErrInvalidRadius, param: "radius"},
		{name: "zip checked first", in: provider.AreaQuery{ZipCode: "x", Radius: 15}, err: provider.ErrInvalidZipCode, param: "zip_code"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate()
			query, encErr := tc.in.Encode()
			path, pathErr := tc.in.Path()
			values, valErr := tc.in.Values()
			if tc.err != nil {
				for _, e := range []error{err, encErr, pathErr, valErr} {
					require.ErrorIs(t, e, tc.err)
					var pe *provider.Error
					require.ErrorAs(t, e, &pe)
					want := tc.in.ZipCode
					if tc.param == "radius" {
						want = strconv.Itoa(int(tc.in.Radius))
					}
					assert.Equal(t, want, pe.Value)
					assert.NotEmpty(t, pe.Reason)
				}
				assert.Empty(t, query)
				assert.Empty(t, path)
				assert.Nil(t, values)
				return
			}
			require.NoError(t, err)
			require.NoError(t, encErr)
			require.NoError(t, pathErr)
			require.NoError(t, valErr)
			assert.Equal(t, tc.query, query)
			assert.Equal(t, provider.AreaInfoPath+"?"+tc.query, path)

			parsed, err := url.ParseQuery(query)
			require.NoError(t, err)
			assert.Equal(t, values, parsed, "Encode and Values must agree")
		})
	}
}
